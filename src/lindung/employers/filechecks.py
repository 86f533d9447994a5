"""The employer import's rows checked column-wise: which new rows :func:`services.clean`
would take as they are, and the values it would give them, without a call per row.

A row passes here only when every cell is of the plain, common form (a 13-digit NIB, a
count of digits, a known village of the user's region, a kept KBLI code, …). Whatever is
not certainly right — a wrong cell, but also an unusual way of writing a right one — is
left to ``services.clean`` row by row, so a refused row always gets the form's own problems
and messages. Cells with few distinct values (KBLI, programs, dates, villages) are parsed
by the form's parsers once per distinct value (:func:`lindung.columnwise.map_distinct`).
``tests/employers/test_import.py`` holds the two paths to the same values.
"""

import datetime as dt

import polars as pl

from lindung.accounts.scope import in_scope
from lindung.columnwise import map_distinct
from lindung.employers import kbli, services
from lindung.employers.models import PROGRAMS, Compliance, LegalForm, Reason
from lindung.people.validation import parse_date

# The values ``services.clean`` gives, in its order.
CLEAN = (
    "name",
    "nib",
    "npwp",
    "legal_form",
    "kbli_section",
    "kbli_code",
    "village_id",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "npp",
    "total_workers",
    "workers_male",
    "workers_female",
    "registered_workers",
    "programs",
    "wage_underreported",
    "closed_on",
)
_COUNT = r"^[0-9]{1,8}$"


def _programs(text: str) -> str | None:
    """The programs as ``clean`` writes them; None when one is unknown (left to it)."""
    items = [p.strip().upper() for p in text.replace(";", ",").split(",")]
    items = [p for p in items if p]
    if any(p not in PROGRAMS for p in items):
        return None
    return ",".join(p for p in PROGRAMS if p in items)


def _wage(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "ya", "on", "y")


def _count(column: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(plainly written, its value): digits, with dots as thousands separators."""
    digits = column.str.replace_all(".", "", literal=True)
    value = digits.cast(pl.Int64, strict=False)
    plain = digits.str.contains(_COUNT) & (value <= services.MAX_WORKERS)
    return plain.fill_null(False), value


def check(
    frame: pl.DataFrame, given: list[str], *, user, villages: set[str], today: dt.date
) -> tuple[list[bool], pl.DataFrame]:
    """Per row, whether it is certainly valid; and the clean values of every row (those of
    rows not certainly valid mean nothing)."""
    empty = pl.lit("")

    def col(key: str) -> pl.Expr:
        return pl.col(key) if key in given else empty

    nib = col("nib").str.replace_all(" ", "", literal=True)
    ok = (col("name") != "") & (col("name").str.len_chars() <= 200)
    ok &= (nib == "") | nib.str.contains(r"^[0-9]{13}$")
    npwp = col("npwp").str.replace_all(r"[.\-/ ]", "")
    ok &= (npwp == "") | npwp.str.contains(r"^[0-9]{15,16}$")
    legal_form = pl.when(col("legal_form") == "").then(pl.lit(LegalForm.OTHER.value))
    legal_form = legal_form.otherwise(col("legal_form"))
    ok &= legal_form.is_in(list(services.LEGAL_FORMS))
    sectors: dict = {}
    section = map_distinct(
        col("sector"), frame, lambda v: (kbli.parse(v) or (None, None))[0], pl.String, sectors
    )
    code = map_distinct(
        col("sector"), frame, lambda v: (kbli.parse(v) or (None, None))[1], pl.String, {}
    )
    ok &= section.is_not_null()
    usable = sorted(v for v in villages if user is None or in_scope(user, v))
    ok &= col("village_code").is_in(usable)
    for key, length in services.LENGTHS.items():
        ok &= col(key).str.len_chars() <= length

    total_plain, total = _count(col("total_workers"))
    ok &= total_plain & (total >= 1)
    if "registered_workers" in given:
        registered_plain, registered = _count(col("registered_workers"))
        ok &= registered_plain & (registered <= total)
    else:
        registered = pl.lit(0, dtype=pl.Int64)
    sexes = []
    for key in ("workers_male", "workers_female"):
        plain, value = _count(col(key))
        ok &= (col(key) == "") | plain
        sexes.append(pl.when(col(key) == "").then(None).otherwise(value))
    male, female = sexes
    ok &= male.is_null() | female.is_null() | ((male + female) == total)

    programs = map_distinct(col("programs"), frame, _programs, pl.String)
    ok &= programs.is_not_null()
    wage = map_distinct(col("wage_underreported"), frame, _wage, pl.Boolean)
    closed = map_distinct(col("closed_on"), frame, lambda v: parse_date(v) if v else None, pl.Date)
    ok &= (col("closed_on") == "") | (closed.is_not_null() & (closed <= today))

    values = frame.select(
        ok.fill_null(False).alias("ok"),
        col("name").alias("name"),
        pl.when(nib == "").then(None).otherwise(nib).alias("nib"),
        npwp.alias("npwp"),
        legal_form.alias("legal_form"),
        section.alias("kbli_section"),
        code.alias("kbli_code"),
        col("village_code").alias("village_id"),
        *(col(key).alias(key) for key in ("address", "contact_name", "contact_phone")),
        col("contact_email").alias("contact_email"),
        col("npp").alias("npp"),
        total.alias("total_workers"),
        male.cast(pl.Int64).alias("workers_male"),
        female.cast(pl.Int64).alias("workers_female"),
        registered.alias("registered_workers"),
        programs.alias("programs"),
        wage.alias("wage_underreported"),
        closed.alias("closed_on"),
    )
    return values["ok"].to_list(), values.select(CLEAN)


def with_sources(frame: pl.DataFrame, source: str, as_of: dt.date) -> pl.DataFrame:
    """New employers' rows: every figure from the file's source and date."""
    return frame.with_columns(
        pl.lit(source).alias("workers_source"),
        pl.lit(as_of).alias("workers_as_of"),
        pl.lit(source).alias("registration_source"),
        pl.lit(as_of).alias("registration_as_of"),
    )


def judged(frame: pl.DataFrame, rule) -> pl.DataFrame:
    """Size, compliance, reasons and uncovered workers as :func:`services.judge` works them
    out, for rows whose registration date has the one ``rule`` in force."""
    total, registered = pl.col("total_workers"), pl.col("registered_workers")
    size = (
        pl.when(total <= rule.micro_max)
        .then(pl.lit("micro"))
        .when(total <= rule.small_max)
        .then(pl.lit("small"))
        .when(total <= rule.medium_max)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("large"))
    )
    frame = frame.with_columns(size.alias("size_class"))

    def missing(key: str) -> bool:
        size_class, programs = key.split("|")
        return bool(set(rule.required_programs(size_class)) - set(programs.split(",")))

    lacking = map_distinct(
        pl.concat_str(pl.col("size_class"), pl.lit("|"), pl.col("programs")),
        frame,
        missing,
        pl.Boolean,
    )
    closed = pl.col("closed_on").is_not_null()
    unregistered = (registered == 0) & (pl.col("npp") == "")
    reasons = pl.concat_str(
        pl.when(registered < total).then(pl.lit(Reason.PDS_WORKERS.value)),
        pl.when(pl.col("wage_underreported")).then(pl.lit(Reason.PDS_WAGE.value)),
        pl.when(lacking).then(pl.lit(Reason.PDS_PROGRAM.value)),
        separator=",",
        ignore_nulls=True,
    )
    return frame.with_columns(
        pl.when(closed)
        .then(pl.lit(Compliance.CLOSED.value))
        .when(unregistered)
        .then(pl.lit(Compliance.NOT_REGISTERED.value))
        .when(reasons != "")
        .then(pl.lit(Compliance.PARTLY.value))
        .otherwise(pl.lit(Compliance.REGISTERED.value))
        .alias("compliance"),
        pl.when(closed | unregistered).then(pl.lit("")).otherwise(reasons).alias("reasons"),
        pl.when(closed)
        .then(0)
        .otherwise(pl.max_horizontal(total - registered, pl.lit(0)))
        .alias("uncovered"),
        pl.col("nib").is_null().alias("identified_by_name"),
        pl.col("village_id").str.slice(0, 8).alias("district_code"),
        pl.col("village_id").str.slice(0, 5).alias("regency_code"),
        pl.col("village_id").str.slice(0, 2).alias("province_code"),
    )
