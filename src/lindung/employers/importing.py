"""Employer lists from a spreadsheet (CSV or XLSX): a WLKP extract, the insurer's branch
list, a village's UMKM list.

Like the statistics tables of ``targets``, a file is checked whole first: if any row is
wrong, nothing is saved and the report names every wrong row, its column, the stable code
and how to fix it (the messages of ``services.MESSAGES``). A correct file is saved in one
transaction. An employer is found again by its NIB, or, when the row has none, by its
name and village (flagged ``identified_by_name``, since two shops may share a name), so
importing the same file twice changes nothing. An update keeps the earlier figures in the
employer's history.

The file is one list from one source as of one date (given with the upload): the figures
it holds get that source and date, the figures it lacks keep theirs.
"""

import datetime as dt
import functools
import io
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import in_scope
from lindung.employers import filechecks, services
from lindung.employers.models import ComplianceRule, Employer, FigureSource
from lindung.privacy.history import (
    bulk_history,
    current_source,
    history_enabled,
    history_rows,
    write_history,
)
from lindung.refusals import Refusal, RowProblem
from lindung.regions.codes import VILLAGE
from lindung.regions.models import Region
from lindung.signals import records_changed
from lindung.spreadsheets import Workbook
from lindung.uploads import UPLOAD_MESSAGES, inspect, read_table

MAX_ROWS = 600_000
HEADERS = {
    "name": ("nama_usaha", "nama usaha", "nama perusahaan", "nama", "name"),
    "nib": ("nib", "nomor induk berusaha"),
    "npwp": ("npwp",),
    "legal_form": ("bentuk_usaha", "bentuk usaha", "badan usaha", "legal_form"),
    "sector": ("kbli", "kode_kbli", "kode kbli", "sektor", "sector"),
    "village_code": ("kode_desa", "kode desa", "kode_wilayah", "kode wilayah", "village_code"),
    "address": ("alamat", "address"),
    "contact_name": ("narahubung", "kontak", "contact_name"),
    "contact_phone": ("telepon", "hp", "no hp", "contact_phone"),
    "contact_email": ("surel", "email", "contact_email"),
    "total_workers": ("jumlah_pekerja", "jumlah pekerja", "tenaga kerja", "total_workers"),
    "workers_male": ("pekerja_laki_laki", "pekerja laki laki", "laki laki", "workers_male"),
    "workers_female": ("pekerja_perempuan", "pekerja perempuan", "perempuan", "workers_female"),
    "registered_workers": (
        "terdaftar_bpjs",
        "terdaftar bpjs",
        "pekerja terdaftar",
        "registered_workers",
    ),
    "programs": ("program", "programs"),
    "npp": ("npp",),
    "wage_underreported": ("upah_kurang", "upah kurang", "pds upah", "wage_underreported"),
    "closed_on": ("tutup_sejak", "tutup sejak", "closed_on"),
}
REQUIRED = ("name", "sector", "village_code", "total_workers")
TEMPLATE = (
    [
        "nama_usaha",
        "nib",
        "bentuk_usaha",
        "kbli",
        "kode_desa",
        "alamat",
        "jumlah_pekerja",
        "pekerja_laki_laki",
        "pekerja_perempuan",
        "terdaftar_bpjs",
        "program",
        "npp",
    ],
    [
        [
            "PT Ikan Segar Jembrana",
            "8120001234567",
            "pt",
            "10213",
            "51.01.01.2001",
            "Jl. Pelabuhan 1",
            "85",
            "40",
            "45",
            "80",
            "JKK,JKM,JHT,JP,JKP",
            "NPP1234",
        ],
        ["Warung Men Sari", "", "perorangan", "I", "51.04.01.2001", "", "3", "", "", "0", "", ""],
    ],
)

FILE_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_empty": _("Berkas kosong: tidak ada baris data di bawah judul kolom."),
    "file_unreadable": _("Berkas tidak dapat dibaca: unggah CSV atau XLSX (Excel 2007 ke atas)."),
    "file_xls": _("Berkas .xls (Excel lama) tidak didukung: simpan ulang sebagai .xlsx."),
    "file_too_long": _("Berkas terlalu panjang: paling banyak %(max)s baris per unggahan."),
    "column_missing": _("Kolom wajib tidak ada: %(columns)s. Unduh contoh berkas untuk judulnya."),
    "source_invalid": _("Pilih sumber daftar (WLKP, daftar BPJS, kunjungan, UMKM desa)."),
    "as_of_invalid": _("Tanggal daftar tidak sah atau setelah hari ini: tulis dd/mm/yyyy."),
}
ROW_MESSAGES = {
    "nib_duplicate_in_file": _("NIB ini sudah ada di baris %(first)s berkas yang sama."),
    "name_duplicate_in_file": _(
        "Nama usaha dan desa ini sudah ada di baris %(first)s (tanpa NIB): gabungkan barisnya "
        "atau isi NIB."
    ),
    "nib_out_of_scope": _(
        "NIB ini milik pemberi kerja di luar wilayah kerja Anda: periksa NIB atau minta admin "
        "wilayah tersebut."
    ),
}


class FileRefused(Refusal):
    messages = FILE_MESSAGES


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_name: int = 0  # rows without a NIB, matched or made by name and village
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(header: str) -> str:
    return " ".join(str(header).strip().lower().replace("_", " ").replace("-", " ").split())


def _map_headers(headers: list[str]) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers):
        key = _norm(header)
        for name, aliases in HEADERS.items():
            if name not in found and key in {_norm(a) for a in aliases}:
                found[name] = index
    return found


def read_rows(data: bytes, name: str = "") -> tuple[dict[str, int], list]:
    """The header map and the (spreadsheet row number, cells) of every non-empty row."""
    inspect(data, name, limit=200 * 1024 * 1024, refuse=FileRefused)
    return _rows_of(data, name)


def _rows_of(data: bytes, name: str) -> tuple[dict[str, int], list]:
    table = read_table(data, name, refuse=FileRefused, score=lambda row: len(_map_headers(row)))
    headers = _map_headers(table[0])
    rows = [
        (number, cells)
        for number, cells in enumerate(table[1:], start=2)
        if any(str(c).strip() for c in cells)
    ]
    if not rows:
        raise FileRefused("file_empty")
    if len(rows) > MAX_ROWS:
        raise FileRefused("file_too_long", max=f"{MAX_ROWS:,}".replace(",", "."))
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise FileRefused("column_missing", columns=", ".join(HEADERS[c][0] for c in missing))
    return headers, rows


# What a CSV must not hold for polars' reader to read it cell for cell as ``csv.reader``
# does: a quote (a quoted cell may hold the separator or a line break), and the separators
# Python's ``str.strip`` takes for white space and Rust's ``trim`` does not (U+001C–U+001F);
# nor a carriage return but before a line feed (see ``_plain_csv``).
_NOT_PLAIN = (b'"', b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def read_frame(data: bytes, name: str = "") -> tuple[dict[str, int], pl.DataFrame]:
    """The header map and the file's non-empty rows as text columns of the known fields
    (each cell stripped as a form strips it), with the spreadsheet's row numbers in
    ``row``. A plain CSV (no quotes) is read by polars, in a fraction of the time of
    Python's reader; any other file (XLSX, quoted cells) by :func:`read_rows`, with the
    same cells, numbers and refusals."""
    inspect(data, name, limit=200 * 1024 * 1024, refuse=FileRefused)
    table = _plain_csv(data, name)
    if table is None:
        headers, rows = _rows_of(data, name)
        given = [f for f in headers if f in services.FIELDS]
        return headers, _frame(headers, rows, given)
    headers = _map_headers(["" if c is None else c for c in table.row(0)])
    cells = [pl.col(c).fill_null("").str.strip_chars() for c in table.columns]
    table = (
        table.with_row_index("row", offset=1)
        .slice(1)
        .filter(pl.any_horizontal(cell != "" for cell in cells))
    )
    if not table.height:
        raise FileRefused("file_empty")
    if table.height > MAX_ROWS:
        raise FileRefused("file_too_long", max=f"{MAX_ROWS:,}".replace(",", "."))
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise FileRefused("column_missing", columns=", ".join(HEADERS[c][0] for c in missing))
    given = [f for f in headers if f in services.FIELDS]
    return headers, table.select(
        pl.col("row").cast(pl.Int64),
        *(cells[headers[key]].alias(key) for key in given),
    )


def _plain_csv(data: bytes, name: str) -> pl.DataFrame | None:
    """Every record of a CSV without quotes as text columns (``None`` where a cell is
    missing), header included; None for anything else (read by Python's reader)."""
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    if name.lower().endswith((".xlsx", ".xls")) or any(c in data for c in _NOT_PLAIN):
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        first = data.split(b"\n", 1)[0].decode("utf-8")
        data.decode("utf-8")  # the encoding Python's reader would take (else Windows-1252)
    except UnicodeDecodeError:
        return None
    if not first.strip():
        return None
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            infer_schema=False,
            separator=delimiter,
            quote_char=None,
            truncate_ragged_lines=True,
            raise_if_empty=True,
        )
    except (pl.exceptions.PolarsError, OSError):
        return None


class _Rules:
    """The dated rules, read once for a whole file."""

    def __init__(self):
        self.rules = list(ComplianceRule.objects.order_by("-valid_from"))

    def on(self, day: dt.date) -> ComplianceRule:
        for rule in self.rules:
            if rule.valid_from <= day:
                return rule
        raise services.EmployerInvalid([services.Problem("registration_as_of", "no_rule")])


def _name_key(name: str, village: str) -> tuple[str, str]:
    return (" ".join(name.lower().split()), village)


def import_employers(
    *, user, data: bytes, name: str = "", source: str, as_of, today: dt.date
) -> ImportReport:
    """Check the whole file, then save it all, or nothing (see the module's docstring).

    The rows are checked column-wise first (:mod:`lindung.columnwise`): a new employer whose
    every cell passes those checks is taken as :func:`services.clean` would take it, without
    a call per row. Every other row (an update, or a row with any doubt) goes through
    ``services.clean`` itself, so a refused row gets exactly the form's problems."""
    if not services.can_edit(user):
        raise services.EmployerRefused("forbidden")
    if source not in FigureSource.values:
        raise FileRefused("source_invalid")
    as_of = as_of if isinstance(as_of, dt.date) else services.parse_date(str(as_of or ""))
    if as_of is None or as_of > today:
        raise FileRefused("as_of_invalid")
    headers, frame = read_frame(data, name)
    report = ImportReport(rows=frame.height)
    given = [f for f in headers if f in services.FIELDS]
    numbers = frame["row"].to_list()
    nibs = frame["nib"].str.replace_all(" ", "", literal=True).to_list() if "nib" in given else None
    nibs = nibs or [""] * frame.height
    codes = set(frame["village_code"].unique().to_list())
    villages = set(
        Region.objects.filter(code__in=codes, level=VILLAGE).values_list("code", flat=True)
    )
    names = frame["name"].to_list()
    village_codes = frame["village_code"].to_list()
    # Name keys only for the rows without a NIB (the only ones matched by name).
    keys = [
        _name_key(names[i], village_codes[i]) if not nib else None for i, nib in enumerate(nibs)
    ]
    by_nib, by_name, foreign = _existing(user, nibs, keys, villages)
    known = set(by_nib) | foreign
    new = [(nib not in known) if nib else (keys[i] not in by_name) for i, nib in enumerate(nibs)]
    fast, clean_frame = filechecks.check(frame, given, user=user, villages=villages, today=today)
    fast_mask = [f and n for f, n in zip(fast, new, strict=True)]
    rules = _Rules()
    first_nib: dict[str, int] = {}
    first_name: dict[tuple, int] = {}
    plan = []  # (employer or None, values) of the rows checked one by one
    taken = []  # indexes of the rows checked column-wise, kept
    for index, number in enumerate(numbers):
        nib, key = nibs[index], keys[index]
        if not fast_mask[index]:
            if nib and nib in foreign:  # nothing of another region's employer is read
                _row_problem(report, number, "nib", "nib_out_of_scope", _text(frame, given, index))
                continue
            text = _text(frame, given, index)
            current = by_nib.get(nib) if nib else by_name.get(key)
            try:
                values = _clean_row(user, text, current, source, as_of, today, villages)
            except services.EmployerInvalid as error:
                for problem in error.problems:
                    _add(report, number, problem.field, problem.code, text, problem.message)
                continue
        if nib and nib in first_nib:
            text = _text(frame, given, index)
            _row_problem(report, number, "nib", "nib_duplicate_in_file", text, first=first_nib[nib])
            continue
        if not nib and key in first_name:
            text = _text(frame, given, index)
            _row_problem(
                report, number, "name", "name_duplicate_in_file", text, first=first_name[key]
            )
            continue
        if nib:
            first_nib[nib] = number
        else:
            first_name[key] = number
            report.by_name += 1
        if fast_mask[index]:
            taken.append(index)
        else:
            plan.append((current, values))
    if report.problems:
        return report
    fresh = filechecks.with_sources(clean_frame[taken], source, as_of) if taken else None
    _save(plan, fresh, rules, user, report)
    return report


def _frame(headers: dict[str, int], rows: list, given: list[str]) -> pl.DataFrame:
    """The file's cells as text columns (each cell stripped as a form strips it), with the
    spreadsheet's row numbers."""
    columns = {"row": pl.Series([n for n, _c in rows], dtype=pl.Int64)}
    for key in given:
        i = headers[key]
        columns[key] = pl.Series(
            [str(c[i]).strip() if i < len(c) else "" for _n, c in rows], dtype=pl.String
        )
    return pl.DataFrame(columns)


def _text(frame: pl.DataFrame, given: list[str], index: int) -> dict[str, str]:
    row = frame.row(index, named=True)
    return {k: row[k] for k in given}


def _clean_row(user, text, current, source, as_of, today, villages) -> dict:
    """One row through the form's own check, merged with the employer it updates."""
    data = services.employer_values(current) if current else {}
    if "workers_male" not in text and "workers_female" not in text:
        # A split by sex belongs to the total it was counted with.
        data["workers_male"] = data["workers_female"] = ""
    data |= text
    data["workers_source"] = source
    data["workers_as_of"] = as_of
    if "registered_workers" in text or current is None:
        data["registration_source"] = source
        data["registration_as_of"] = as_of
    data.setdefault("registered_workers", "0")
    return services.clean(user, data, today=today, villages=villages)


def _existing(user, nibs: list[str], keys: list, villages: set[str]):
    """Employers the file names: by NIB, and (without a NIB) by name and village; and the
    NIBs held by employers outside the user's region.

    The file's NIBs go to the database as one array (``= ANY``): a list of hundreds of
    thousands of parameters costs more to write into the statement than the lookup, and
    only the NIBs found are read as employers."""
    wanted = sorted(set(nibs) - {""})
    by_nib, foreign = {}, set()
    if wanted:
        table = Employer._meta.db_table
        found = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Only a NIB of 13 digits can be found (every stored one is), so the
                # others are not sent, and those are sent as one text the database splits:
                # no parameter per NIB to write.
                digits = [n for n in wanted if len(n) == 13 and n.isascii() and n.isdigit()]
                cursor.execute(
                    f"SELECT id, nib, village_id FROM {table} "
                    "WHERE nib = ANY(string_to_array(%s, ','))",
                    [",".join(digits)],
                )
                found = cursor.fetchall()
            else:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    found += Employer.objects.filter(nib__in=chunk).values_list(
                        "id", "nib", "village_id"
                    )
        inside = {pk for pk, _nib, village in found if user is None or in_scope(user, village)}
        foreign = {nib for pk, nib, _village in found if pk not in inside}
        ids = sorted(inside)
        for start in range(0, len(ids), 5000):
            for employer in Employer.objects.filter(pk__in=ids[start : start + 5000]):
                by_nib[employer.nib] = employer
        # A foreign employer is found by its NIB (so it is refused), but never read.
        for nib in foreign:
            by_nib.setdefault(nib, None)
    by_name = {}
    nameless = sorted(villages & {key[1] for key in keys if key is not None})
    for start in range(0, len(nameless), 2000):
        for employer in Employer.objects.filter(
            village_id__in=nameless[start : start + 2000], nib__isnull=True
        ):
            by_name.setdefault(_name_key(employer.name, employer.village_id), employer)
    return by_nib, by_name, foreign


def _add(report, number, field_name, code, text, message) -> None:
    column = HEADERS[field_name][0] if field_name in HEADERS else field_name
    report.problems.append(
        RowProblem(number, field_name, column, code, str(text.get(field_name, "")), str(message))
    )


def _row_problem(report, number, field_name, code, text, **params) -> None:
    _add(report, number, field_name, code, text, str(ROW_MESSAGES[code]) % params)


# The fields an import writes, compared to tell an update from an unchanged row.
WRITTEN = (
    *(f for f in services.FIELDS if f not in ("sector", "village_code")),
    "kbli_section",
    "kbli_code",
    "village_id",
)
DERIVED = ("size_class", "compliance", "reasons", "uncovered", "identified_by_name")


@transaction.atomic
def _save(plan, fresh: pl.DataFrame | None, rules: _Rules, user, report: ImportReport) -> None:
    """``plan``: the rows checked one by one (new or updates); ``fresh``: the new rows
    checked column-wise, written by ``COPY`` on PostgreSQL (elsewhere as the others)."""
    actor = user if user is not None and user.pk else None
    now = timezone.now()
    create, update = [], []
    fast = connection.vendor == "postgresql"
    copied = 0
    if fast:
        with connection.cursor() as cursor:
            # The commit need not wait for the disk (as the worker import's batches): the
            # file is saved whole or not at all, and importing it again changes nothing.
            cursor.execute("SET LOCAL synchronous_commit = off")
    if fresh is not None and fast:
        rule = rules.on(fresh["registration_as_of"][0])  # one date: the file's
        copied = _copy_frame(filechecks.judged(fresh, rule), actor)
    elif fresh is not None:
        plan = plan + [(None, values) for values in fresh.to_dicts()]
    for current, values in plan:
        if current is None and fast:
            employer = _NewRow(created_by_id=actor.pk if actor else None)
        else:
            employer = current or Employer(created_by=actor, created_at=now)
        before = {f: getattr(employer, f) for f in (*WRITTEN, *DERIVED)} if current else None
        for name, value in values.items():
            setattr(employer, name, value)
        employer.identified_by_name = values["nib"] is None
        employer.set_region_codes()
        services.judge(employer, rules.on(employer.registration_as_of))
        employer.updated_at = now
        if current is None:
            create.append(employer)
        elif any(getattr(employer, f) != before[f] for f in before):
            update.append(employer)
        else:
            report.unchanged += 1
    if fast and create:
        _copy_new(create, actor, now)
    else:
        Employer.objects.bulk_create(create, batch_size=2000)
        bulk_history(Employer, create)
    if update:
        Employer.objects.bulk_update(
            update,
            [*WRITTEN, *DERIVED, "district_code", "regency_code", "province_code", "updated_at"],
            batch_size=2000,
        )
    # Written in bulk: the history rows are written for them (a save would have).
    bulk_history(Employer, update, update=True)
    report.created, report.updated = len(create) + copied, len(update)
    if report.created or report.updated:
        records_changed.send(sender=__name__)  # written in bulk: no save signal


@functools.cache
def _defaults() -> dict:
    return {
        f.attname: f.get_default() if f.has_default() else None
        for f in Employer._meta.concrete_fields
    }


class _NewRow:
    """A new employer's values before its ``COPY``: the model's attributes without the
    cost of a model instance per row (a tenth of a 500,000-row import's time)."""

    set_region_codes = Employer.set_region_codes

    def __init__(self, **values):
        self.__dict__.update(_defaults(), **values)


def _copy_new(create: list, actor, now) -> None:
    """New employers on PostgreSQL: ids taken from the sequence, the rows sent by ``COPY``
    and their historical rows made from them by one ``INSERT … SELECT`` (what
    ``bulk_create`` and ``bulk_history`` would do, without building a statement of
    thousands of parameters per batch)."""
    table = Employer._meta.db_table
    fields = Employer._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
            [len(create)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        attnames = [f.attname for f in fields]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for employer, pk in zip(create, ids, strict=True):
                employer.id = pk
                employer.created_at = now
                copy.write_row([getattr(employer, name) for name in attnames])
        if not history_enabled():
            return
        history = Employer.history.model
        source = current_source()
        fixed = {
            "history_date": now,
            "history_type": "+",
            "history_user_id": actor.pk if actor else None,
            "history_change_reason": None,
            "history_via": str(source.via),
            "history_via_detail": source.detail,
        }
        own = {f.column for f in fields}
        targets, sources, params = [], [], []
        for f in history._meta.concrete_fields:
            if f.primary_key:
                continue
            targets.append(connection.ops.quote_name(f.column))
            if f.column in own:
                sources.append(f"e.{connection.ops.quote_name(f.column)}")
            else:
                sources.append("%s")
                params.append(fixed[f.attname])
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({', '.join(targets)}) "
            f"SELECT {', '.join(sources)} FROM {table} e WHERE e.id = ANY(%s)",
            [*params, ids],
        )


def _copy_frame(frame: pl.DataFrame, actor) -> int:
    """New employers checked column-wise, on PostgreSQL: ids from the sequence, the rows by
    one ``COPY`` and their historical rows by another (``privacy.history``), nothing per
    row in Python."""
    table = Employer._meta.db_table
    # The times are left to the database (``TransactionNow``: the transaction's, for the
    # records and their history alike): no timestamp written or parsed per row.
    fields = [
        f for f in Employer._meta.concrete_fields if f.attname not in ("created_at", "updated_at")
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array_agg(nextval(pg_get_serial_sequence('{table}', 'id'))) "
            "FROM generate_series(1, %s)",
            [frame.height],
        )
        ids = cursor.fetchone()[0]
        fixed = {
            "id": pl.Series("id", ids, dtype=pl.Int64),
            "next_follow_up": pl.lit(None, dtype=pl.Date),
            "first_reached_on": pl.lit(None, dtype=pl.Date),
            "created_by_id": pl.lit(actor.pk if actor else None, dtype=pl.Int64),
        }
        records = frame.select(
            fixed[f.attname].alias(f.attname) if f.attname in fixed else pl.col(f.attname)
            for f in fields
        )
        payload = records.write_csv(include_header=False).encode()
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        # Text columns never hold NULL (an empty cell is ''), but the NIB does.
        text = ", ".join(
            quote(f.column)
            for f in fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.null
        )
        with cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({text}))"
        ) as copy:
            step = 1 << 20
            for start in range(0, len(payload), step):
                copy.write(payload[start : start + step])
        rows = history_rows(Employer, records, created=True, now=None, sent=payload)
        write_history(cursor, rows=rows)
    return frame.height


def template_xlsx() -> bytes:
    """The example file: its header and two example rows, all text."""
    headers, rows = TEMPLATE
    buffer = io.BytesIO()
    book = Workbook(buffer)
    sheet = book.add_worksheet("pemberi kerja")
    bold = book.add_format({"bold": True})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(12, len(header) + 2))
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value))
    book.close()
    return buffer.getvalue()
