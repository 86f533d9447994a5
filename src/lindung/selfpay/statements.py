"""The insurer's payment statement: import (CSV/XLSX: KPJ, month, amount, paid date) and
reconciliation against the collections recorded here.

The import is set-based like the worker import (:mod:`lindung.imports`): the file is read
as text by polars, every row checked at once, the good rows staged (``COPY`` on
PostgreSQL) and written with one ``INSERT … SELECT … ON CONFLICT`` keyed by (KPJ, month):
the same file twice changes nothing, a corrected file updates the months it corrects.
Rows that cannot be recorded (a KPJ no enrollment in the user's region has, an unreadable
month, amount or date, a (KPJ, month) twice in the file) get a row-level message.
"""

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lindung.accounts.scope import LEVEL_FIELDS, scope_code, scoped
from lindung.imports.reading import sniff_format
from lindung.programs import permissions
from lindung.programs.models import Enrollment
from lindung.refusals import Refusal
from lindung.regions.codes import level_of
from lindung.selfpay.models import (
    CollectionLine,
    StatementImport,
    StatementLine,
    StatementProblem,
)

MAX_FILE_BYTES = 200 * 1024 * 1024

COLUMNS = {
    "kpj": ("kpj", "no kpj", "nomor kpj"),
    "month": ("bulan", "bulan iuran", "periode", "month"),
    "amount": ("jumlah", "iuran", "nominal", "amount"),
    "paid_on": ("tanggal bayar", "tgl bayar", "tanggal_bayar", "paid date", "paid_on"),
}

ROW_MESSAGES = {
    "kpj_invalid": gettext_lazy("Nomor KPJ kosong atau bukan angka."),
    "kpj_unknown": gettext_lazy(
        "KPJ %(kpj)s tidak dikenal: tidak ada kepesertaan dengan KPJ ini di wilayah Anda."
    ),
    "month_invalid": gettext_lazy("Bulan tidak sah: tulis YYYY-MM atau MM/YYYY."),
    "amount_invalid": gettext_lazy("Jumlah harus rupiah bulat lebih dari 0, tanpa desimal."),
    "date_invalid": gettext_lazy("Tanggal bayar tidak sah: tulis YYYY-MM-DD atau DD/MM/YYYY."),
    "row_duplicate": gettext_lazy("KPJ dan bulan ini sudah ada di baris lain berkas ini."),
}


class StatementRefused(Refusal):
    messages = {
        "forbidden": gettext_lazy("Peran Anda tidak boleh mengimpor rekening koran BPJS."),
        "file_unreadable": gettext_lazy("Berkas tidak terbaca: kirim CSV atau XLSX."),
        "file_too_large": gettext_lazy("Berkas lebih dari 200 MB: bagi menjadi beberapa berkas."),
        "file_columns_missing": gettext_lazy(
            "Kolom wajib tidak ada: %(columns)s (kpj, bulan, jumlah, tanggal_bayar)."
        ),
    }


def _key(text) -> str:
    return " ".join(str(text or "").replace("_", " ").lower().split())


def read_statement(file_name: str, content: bytes) -> pl.DataFrame:
    """The file as text columns ``row, kpj, month, amount, paid_on`` (row 1 = header)."""
    if len(content) > MAX_FILE_BYTES:
        raise StatementRefused("file_too_large")
    try:
        if sniff_format(content, file_name) == "xlsx":
            import fastexcel

            sheet = fastexcel.read_excel(content).load_sheet(0, dtypes="string")
            frame = sheet.to_polars()
        else:
            text = content[:4096].decode("utf-8-sig", errors="replace")
            delimiter = csv.Sniffer().sniff(text, delimiters=",;\t").delimiter
            frame = pl.read_csv(io.BytesIO(content), separator=delimiter, infer_schema=False,
                                encoding="utf8-lossy", truncate_ragged_lines=True)  # fmt: skip
    except Exception as exc:  # any parser failure is the same answer to the user
        raise StatementRefused("file_unreadable") from exc
    found = {}
    for name in frame.columns:
        for canonical, aliases in COLUMNS.items():
            if _key(name) in {_key(a) for a in aliases} and canonical not in found:
                found[canonical] = name
    if missing := [c for c in COLUMNS if c not in found]:
        raise StatementRefused("file_columns_missing", columns=", ".join(missing))
    frame = frame.select(
        [pl.col(found[c]).cast(pl.Utf8).str.strip_chars().alias(c) for c in COLUMNS]
    ).with_row_index("row", offset=2)
    return frame.filter(pl.any_horizontal([pl.col(c).fill_null("") != "" for c in COLUMNS]))


def _dates(expr: pl.Expr, formats: list[str]) -> pl.Expr:
    return pl.coalesce([expr.str.strptime(pl.Date, f, strict=False) for f in formats])


def check_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Typed columns and a ``code`` (empty when the row can be recorded), all rows at once."""
    month_text = pl.col("month").fill_null("")
    checked = frame.with_columns(
        pl.col("kpj").fill_null("").alias("kpj"),
        _dates(month_text.str.slice(0, 7), ["%Y-%m"])
        .fill_null(_dates(month_text, ["%m/%Y", "%d/%m/%Y", "%Y-%m-%d"]))
        .dt.month_start()
        .alias("month_date"),
        pl.col("amount").fill_null("").str.replace_all(r"[.\s]", "").alias("amount_text"),
        _dates(pl.col("paid_on").fill_null("").str.slice(0, 10), ["%Y-%m-%d", "%d/%m/%Y"]).alias(
            "paid_date"
        ),
    ).with_columns(
        pl.when(pl.col("amount_text").str.contains(r"^\d{1,15}$"))
        .then(pl.col("amount_text").cast(pl.Int64, strict=False))
        .alias("amount_value")
    )
    duplicate = pl.struct("kpj", "month_date").is_duplicated() & pl.col("month_date").is_not_null()
    code = (
        pl.when(~pl.col("kpj").str.contains(r"^\d{1,20}$")).then(pl.lit("kpj_invalid"))
        .when(pl.col("month_date").is_null()).then(pl.lit("month_invalid"))
        .when(pl.col("amount_value").is_null() | (pl.col("amount_value") <= 0))
        .then(pl.lit("amount_invalid"))
        .when(pl.col("paid_date").is_null()).then(pl.lit("date_invalid"))
        .when(duplicate).then(pl.lit("row_duplicate"))
        .otherwise(pl.lit(""))
    )  # fmt: skip
    return checked.with_columns(code.alias("code"))


def _scope_sql(user, alias: str) -> tuple[str, list]:
    scope = scope_code(user)
    if scope is None:
        return "", []
    if scope == "-":
        return " AND 1 = 0", []
    return f" AND {alias}.{LEVEL_FIELDS[level_of(scope)]} = %s", [scope]


STAGE = "selfpay_statement_stage"


def _stage(cursor, good: pl.DataFrame) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} (row integer, kpj varchar(20), month date,"
        " amount bigint, paid_on date)"
    )
    staged = good.select(
        "row", "kpj", pl.col("month_date").alias("month"), pl.col("amount_value").alias("amount"),
        pl.col("paid_date").alias("paid_on"),
    )  # fmt: skip
    if connection.vendor == "postgresql":
        payload = staged.write_csv(include_header=False).encode()
        with cursor.cursor.copy(f"COPY {STAGE} FROM STDIN (FORMAT csv)") as copy:
            step = 1 << 20
            for start in range(0, len(payload), step):
                copy.write(payload[start : start + step])
        cursor.execute(f"ANALYZE {STAGE}")
    else:
        rows = [(r, k, m.isoformat(), a, p.isoformat()) for r, k, m, a, p in staged.iter_rows()]
        cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s)", rows)


def _write(cursor, user, record: StatementImport) -> tuple[int, int]:
    """Problems for unknown KPJs, then the upsert; returns (recorded, unchanged)."""
    scope, scope_params = _scope_sql(user, "e")
    enrollment = connection.ops.quote_name(Enrollment._meta.db_table)
    line = connection.ops.quote_name(StatementLine._meta.db_table)
    problem = connection.ops.quote_name(StatementProblem._meta.db_table)
    known = (
        f"SELECT e.kpj, MAX(e.id) AS id FROM {enrollment} e WHERE e.kpj <> ''{scope} GROUP BY e.kpj"
    )
    head, _sep, tail = str(ROW_MESSAGES["kpj_unknown"]).partition("%(kpj)s")
    cursor.execute(
        f"""INSERT INTO {problem} (statement_import_id, row, kpj, code, message)
            SELECT %s, s.row, s.kpj, 'kpj_unknown', %s || s.kpj || %s
            FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM {enrollment} e WHERE e.kpj = s.kpj{scope})""",
        [record.pk, head, tail, *scope_params],
    )
    cursor.execute(
        f"""SELECT COUNT(*) FROM {STAGE} s JOIN {line} l ON l.kpj = s.kpj AND l.month = s.month
            WHERE l.amount = s.amount AND l.paid_on = s.paid_on""",
    )
    unchanged = cursor.fetchone()[0]
    cursor.execute(
        f"""INSERT INTO {line}
                (kpj, month, amount, paid_on, enrollment_id, regency_code, statement_import_id)
            SELECT s.kpj, s.month, s.amount, s.paid_on, e.id, e.regency_code, %s
            FROM {STAGE} s
            JOIN ({known}) k ON k.kpj = s.kpj
            JOIN {enrollment} e ON e.id = k.id
            WHERE 1 = 1
            ON CONFLICT (kpj, month) DO UPDATE SET amount = EXCLUDED.amount,
                paid_on = EXCLUDED.paid_on, statement_import_id = EXCLUDED.statement_import_id
            WHERE {line}.amount <> EXCLUDED.amount OR {line}.paid_on <> EXCLUDED.paid_on""",
        [record.pk, *scope_params],
    )
    return max(cursor.rowcount, 0), unchanged


def import_statement(*, user, file_name: str, content: bytes) -> StatementImport:
    """Record the months of the insurer's statement; see the module docstring."""
    if user is not None and user.role not in permissions.COLLECTORS:
        raise StatementRefused("forbidden")
    checked = check_rows(read_statement(file_name, content))
    bad = checked.filter(pl.col("code") != "")
    good = checked.filter(pl.col("code") == "")
    with transaction.atomic():
        record = StatementImport.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
            uploaded_by=user if user is not None and user.pk else None,
            rows=checked.height,
        )
        StatementProblem.objects.bulk_create(
            (
                StatementProblem(
                    statement_import=record,
                    row=row,
                    kpj=(kpj or "")[:40],
                    code=code,
                    message=str(ROW_MESSAGES[code])[:300],
                )  # fmt: skip
                for row, kpj, code in bad.select("row", "kpj", "code").iter_rows()
            ),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            _stage(cursor, good)
            recorded, unchanged = _write(cursor, user, record)
            cursor.execute(f"DROP TABLE {STAGE}")
        record.recorded, record.unchanged = recorded, unchanged
        record.refused = record.problems.count()
        record.save(update_fields=["recorded", "unchanged", "refused"])
    return record


# --- reconciliation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str  # not_at_insurer | amount_differs | not_collected
    kpj: str
    month: dt.date
    full_name: str
    village_id: str
    collected: int | None
    at_insurer: int | None

    @property
    def label(self) -> str:
        return str(DIFFERENCE_LABELS[self.kind])


DIFFERENCE_LABELS = {
    "not_at_insurer": gettext_lazy("diterima agen, belum ada di rekening koran BPJS"),
    "amount_differs": gettext_lazy("jumlah berbeda"),
    "not_collected": gettext_lazy("ada di rekening koran BPJS, tidak tercatat diterima"),
}


def differences(user, first: dt.date, last: dt.date, limit: int | None = None) -> list[Difference]:
    """What the collections and the insurer's statement disagree on, months ``first`` to
    ``last`` (inclusive), in the user's region."""
    lines = scoped(user, CollectionLine.objects.filter(month__gte=first, month__lte=last),
                   prefix="enrollment__")  # fmt: skip
    at_insurer = StatementLine.objects.filter(
        kpj=OuterRef("enrollment__kpj"), month=OuterRef("month")
    )
    lines = lines.annotate(insurer=Subquery(at_insurer.values("amount")[:1])).values_list(
        "enrollment__kpj", "month", "person__full_name", "enrollment__village_id", "amount",
        "insurer",
    )  # fmt: skip
    found = []
    for kpj, month, name, village, amount, insurer in lines.order_by("enrollment__kpj", "month"):
        if insurer is None:
            found.append(Difference("not_at_insurer", kpj, month, name, village, amount, None))
        elif insurer != amount:
            found.append(Difference("amount_differs", kpj, month, name, village, amount, insurer))
    statement = scoped(user, StatementLine.objects.filter(month__gte=first, month__lte=last),
                       prefix="enrollment__")  # fmt: skip
    collected = CollectionLine.objects.filter(
        enrollment__kpj=OuterRef("kpj"), month=OuterRef("month")
    )
    missing = statement.filter(~Exists(collected)).values_list(
        "kpj", "month", "enrollment__person__full_name", "enrollment__village_id", "amount"
    )
    for kpj, month, name, village, amount in missing.order_by("kpj", "month"):
        found.append(Difference("not_collected", kpj, month, name, village, None, amount))
    found.sort(key=lambda d: (d.kpj, d.month, d.kind))
    return found[:limit] if limit else found
