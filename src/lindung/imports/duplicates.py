"""The import's duplicate-person check, in the import's own frames.

The rule is :mod:`lindung.people.duplicates`'; what this module adds is where the rows come
from. At the start of an import the registry's records of the file's regencies are read
once (:func:`registry_frame`: the compared columns, made compact); each batch's new rows,
once checked, join that frame and the new rows of the batches before them and of their own
batch (:meth:`Matcher.batch`, in the checking thread while the previous batch loads), so a
batch finds what the database query would find after its load without a query. A batch
that goes by the direct ``COPY`` names its pairs by the ids taken for it ahead, and its
transaction only keeps them; otherwise they are named by NIK, and by id in the batch's
transaction (``people.services.flag_imported``), where the rows the load did not create
(registered meanwhile, out of scope) drop out.

Records other users write while the import runs are not in that frame: at the end,
:meth:`Matcher.finish` runs the database's check for the records of those regencies
created since the frame was read, other than the import's own, which also sees the
import's rows.
"""

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.utils import timezone

from lindung.imports.reading import ROW
from lindung.people import duplicates
from lindung.people.models import Person

COMPARED = ["regency_code", "birth_date", "sex", "name_key", "phone"]
# Transactions of other writers that began before the frame was read and commit after it:
# a form's is a fraction of a second, an import batch's well under this.
_SLACK = dt.timedelta(minutes=10)
_RUNS = 500  # runs of an import's own ids a query leaves out by their bounds


def _date(value) -> dt.date | None:
    """A date as SQLite gives it (its text), or as it is."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def registry_frame(regencies: list[str]) -> pl.DataFrame:
    """The records of these regencies as :func:`duplicates.compact` makes them, named by id
    (``regency_code`` kept)."""
    table = Person._meta.db_table
    columns = ["id", *COMPARED]
    schema = {
        "id": pl.Int64, "regency_code": pl.String, "birth_date": pl.Date, "sex": pl.String,
        "name_key": pl.String, "phone": pl.String,
    }  # fmt: skip
    empty = pl.DataFrame(schema=schema)
    where, params = duplicates.regencies_sql(regencies)
    query = f"SELECT {', '.join(columns)} FROM {table} p WHERE {where}"
    if not regencies:
        frame = empty
    elif connection.vendor == "postgresql":
        buffer = bytearray()
        with connection.cursor() as cursor:
            sql = cursor.cursor.mogrify(query, params)
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:
                    buffer += chunk
        frame = (
            pl.read_csv(bytes(buffer), has_header=False, new_columns=columns, schema=schema)
            if buffer
            else empty
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows = [(*row[:2], _date(row[2]), *row[3:]) for row in cursor]
        frame = pl.DataFrame(rows, schema=schema, orient="row")
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("nik"))
    return duplicates.compact(frame)


@dataclass
class Found:
    """A batch's pairs as its checking found them: ``frame``, by NIK (see
    :func:`duplicates.match`); when the batch is to be loaded by the direct ``COPY`` with
    ids taken ahead, also as the loader keeps them (``pairs``) and as its report names them
    (``named``, ``{file row: the others}``), made in the checking thread."""

    frame: pl.DataFrame
    pairs: list[duplicates.Found] | None = None
    named: dict[int, str] = field(default_factory=dict)
    row_of: dict[str, int] = field(default_factory=dict)  # the file row of each new NIK
    batches: set[int] = field(default_factory=set)  # the earlier batches the pairs name


class Matcher:
    """The possible duplicates of one import's new rows, batch by batch (see the module)."""

    def __init__(self, regencies: list[str]):
        self.regencies = sorted(set(regencies))
        self.read_at = timezone.now()
        # By regency: a pair never crosses one, and a batch (in village order) meets one
        # or two, so each join reads a regency's rows instead of all the file's.
        self.known: dict[str, pl.DataFrame] = {
            key[0]: frame.drop("regency_code")
            for key, frame in registry_frame(self.regencies)
            .partition_by("regency_code", as_dict=True)
            .items()
        }
        self.direct: set[int] = set()  # batches committed by the direct COPY: their ids hold
        self.created: list[pl.Series] = []

    def batch(self, index: int, valid: pl.DataFrame, ids: list[int] | None) -> Found:
        """The pairs (see :func:`duplicates.match`) of a checked batch's rows (``valid``,
        their file ``row`` included; ``ids``, taken ahead for the direct ``COPY``): against
        the registry as read, the earlier batches' rows and each other."""
        rows = duplicates.compact(
            valid.select(
                "nik", ROW, "full_name", "village_id", *COMPARED,
                id=pl.Series(ids, dtype=pl.Int64) if ids else pl.lit(None, dtype=pl.Int64),
                batch=pl.lit(index, dtype=pl.Int32),
            )
        )  # fmt: skip
        parts = []
        for key, part in rows.partition_by("regency_code", as_dict=True).items():
            known = self.known.get(key[0])
            added = part.drop(ROW, "regency_code")
            known = added if known is None else pl.concat([known, added], how="diagonal_relaxed")
            self.known[key[0]] = known
            parts.append(duplicates.match(part.drop("full_name", "village_id", "batch"), known))
        frame = pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
        if not ids or frame.height == 0:
            return Found(frame)
        frame = frame.join(rows.select("nik", ROW), on="nik")
        row_of = dict(frame.select("nik", ROW).unique().iter_rows())
        return Found(
            frame,
            pairs=[
                duplicates.Found(new_id, nik, other_id, reason, score, regency)
                for nik, new_id, other_id, reason, score, regency in frame.select(
                    "nik", "id", "other_id", "reason", "score", "regency_code"
                ).iter_rows()
            ],
            named=_named(frame, row_of),
            row_of=row_of,
            batches=set(frame["other_batch"].drop_nulls().unique()) - {index},
        )

    def ready(self, found: Found, loaded_direct: bool) -> bool:
        """Whether the pairs made ahead hold for a batch just loaded: it went by the direct
        ``COPY`` and so did every earlier batch they name (and committed)."""
        return found.pairs is not None and loaded_direct and found.batches <= self.direct

    def loaded(self, index: int, ids: list[int], *, direct: bool) -> None:
        """A batch committed with these new records (not checked again by :meth:`finish`)."""
        if direct:
            self.direct.add(index)
        self.created.append(pl.Series("id", ids, dtype=pl.Int64))

    def finish(self, *, job_id: int) -> None:
        """Flag the records of the file's regencies that others created during the import."""
        from lindung.people.services import flag_imported

        if not self.regencies:
            return
        where, params = duplicates.regencies_sql(self.regencies)
        since = Person._meta.get_field("created_at").get_db_prep_value(
            self.read_at - _SLACK, connection
        )
        created = pl.concat(self.created) if self.created else None
        ours, ours_params = _outside(created)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Person._meta.db_table} p "
                f"WHERE {where} AND p.created_at >= %s AND {ours}",
                [*params, since, *ours_params],
            )
            others = pl.Series("id", [row[0] for row in cursor.fetchall()], dtype=pl.Int64)
        if created is not None:
            others = others.filter(~others.is_in(created.implode()))
        flag_imported(others.to_list(), job_id=job_id, rows=None)


def _outside(ids: pl.Series | None) -> tuple[str, list]:
    """The SQL test that ``p.id`` is none of ``ids``, as ranges: a batch's ids are taken
    from the sequence at once, so an import's million ids are a few runs (``1 = 1`` if
    they are not: the caller filters what comes back)."""
    if ids is None or ids.len() == 0:
        return "1 = 1", []
    ids = ids.sort()
    runs = (
        pl.DataFrame({"id": ids, "run": (ids.diff().fill_null(1) != 1).cum_sum()})
        .group_by("run")
        .agg(low=pl.col("id").min(), high=pl.col("id").max())
    )
    if runs.height > _RUNS:
        return "1 = 1", []
    bounds = [value for pair in runs.select("low", "high").iter_rows() for value in pair]
    return "NOT (" + " OR ".join(["p.id BETWEEN %s AND %s"] * runs.height) + ")", bounds


def _named(frame: pl.DataFrame, row_of: dict[str, int]) -> dict[int, str]:
    """``{file row: the others' names}`` of a batch's pairs (``row_of``: the file row of each
    new NIK): the file's rows named from the file, the registry's read (see
    :func:`duplicates.label`)."""
    from lindung.people.services import rows_named

    from_file = frame.filter(pl.col("other_nik").is_not_null())
    villages = duplicates.village_names(from_file["other_village_id"].unique().to_list())
    names = duplicates.labels(frame.filter(pl.col("other_nik").is_null())["other_id"].to_list())
    for pk, name, nik, village in from_file.select(
        "other_id", "other_full_name", "other_nik", "other_village_id"
    ).iter_rows():
        names[pk] = duplicates.label_of(pk, name, nik, villages.get(village, village))
    return rows_named(frame.select("nik", "other_id").iter_rows(), row_of, names)
