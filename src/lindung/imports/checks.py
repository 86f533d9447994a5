"""Every row of a worker file checked at once, with the same rules and codes as the form.

:func:`lindung.people.validation.check_worker` checks one record; running it a million
times takes minutes. Here the same rules run on whole columns with polars: rules on columns
with few distinct values (sex, dates, villages, categories, occupations, incomes) call the
shared Python parsers once per distinct value, and the rules on columns where every row
differs (NIK, name, phone) are vectorised expressions. ``tests/imports/test_checks.py``
holds both implementations to the same answers.

Before the rules, :func:`tolerate` repairs what spreadsheets do to values (Excel date
cells and serial numbers, a phone number that lost its leading zero, a village code
without dots) so that those rows are not refused for the spreadsheet's fault.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl

from lindung.accounts.scope import in_scope
from lindung.columnwise import map_distinct as _map
from lindung.imports.columns import FIELD_ORDER
from lindung.imports.reading import NIK_NUMBER, RAGGED, ROW
from lindung.people import nik as nik_rules
from lindung.people.categories import parse_category
from lindung.people.models import Person
from lindung.people.validation import MAX_INCOME, OccupationMatcher, parse_date, parse_income
from lindung.regions.codes import district_prefixes, regency_prefixes
from lindung.regions.models import Region

ERRORS, WARNINGS, FIRST_ROW = "errors", "warnings", "first_row"
# What Python's ``str.split()`` takes for whitespace (the form's rules use it): Unicode's
# White_Space and the four ASCII separators \x1c-\x1f.
_WS_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_WS = r"[\s\x1c-\x1f]+"
# Python's [^\W\d_] (what people.validation uses) is a letter or a non-decimal number.
_LETTER = r"[\p{L}\p{Nl}\p{No}]"
_NAME = rf"^{_LETTER}+([ .,'’-]*{_LETTER}*)*\.?$"
_PHONE = r"^(\+62|62|0)8\d{7,12}$"
_SCIENTIFIC = r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Where each code is shown in a report: the column of the file it is about.
CODE_FIELD = {
    "row_ragged": "",
    "nik_missing": "nik",
    nik_rules.NIK_SCIENTIFIC: "nik",
    nik_rules.NIK_PRECISION_LOST: "nik",
    nik_rules.NIK_FORMAT: "nik",
    nik_rules.NIK_REGION: "nik",
    nik_rules.NIK_REGION_DISTRICT_UNKNOWN: "nik",
    nik_rules.NIK_DATE: "nik",
    "duplicate_in_file": "nik",
    "exists": "nik",
    "exists_out_of_scope": "nik",
    "name_missing": "full_name",
    "name_invalid": "full_name",
    "sex_missing": "sex",
    "sex_invalid": "sex",
    nik_rules.SEX_MISMATCH: "sex",
    "birth_date_missing": "birth_date",
    "birth_date_invalid": "birth_date",
    nik_rules.BIRTH_DATE_MISMATCH: "birth_date",
    "village_missing": "village_code",
    "village_unknown": "village_code",
    "village_out_of_scope": "village_code",
    "phone_invalid": "phone",
    "occupation_unknown": "occupation",
    "category_missing": "category",
    "category_unknown": "category",
    "income_missing": "declared_income",
    "income_invalid": "declared_income",
}
# The clean columns a valid row carries to the loader.
CLEAN = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "village_id",
    "district_code",
    "regency_code",
    "province_code",
    "address",
    "phone",
    "occupation_id",
    "occupation_text",
    "category",
    "declared_income",
]


@dataclass
class Context:
    """What the rules need besides the file: who imports, when, and the managed lists."""

    user: object = None
    today: dt.date = field(default_factory=dt.date.today)
    default_village: str = ""
    occupations: OccupationMatcher | None = None
    # Answers of the per-value parsers, kept across the chunks of one file (see ``_map``).
    memo: dict = field(default_factory=dict)


def _ws(expr: pl.Expr) -> pl.Expr:
    """Runs of whitespace to one space, trimmed (``" ".join(text.split())``)."""
    return expr.fill_null("").str.replace_all(_WS, " ").str.strip_chars(" ")


def _blank(expr: pl.Expr) -> pl.Expr:
    # A strip, not :func:`_ws`: no regular expression to run over every row.
    return expr.fill_null("").str.strip_chars(_WS_CHARS) == ""


def _memo(context: "Context", name: str) -> dict:
    return context.memo.setdefault(name, {})


# ---- tolerance -------------------------------------------------------------------------


def excel_date(text: str) -> str:
    """``1985-02-19 00:00:00`` (a date cell) and ``31097`` (a serial number) as a date."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?", text):
        return match.group(1)
    if re.fullmatch(r"[1-9]\d{3,4}(\.0+)?", text):
        serial = int(float(text))
        if 1 < serial < 80000:
            return (_EXCEL_EPOCH + dt.timedelta(days=serial)).isoformat()
    return text


def tolerate(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """Undo what spreadsheets and habits do to values, before the rules see them."""
    changes = []
    if "nik" in frame.columns:
        changes.append(_tolerant_nik())
    if "birth_date" in frame.columns:
        changes.append(
            _map(pl.col("birth_date"), frame, excel_date, pl.String, _memo(context, "excel"))
        )
    if "phone" in frame.columns:
        phone = pl.col("phone").str.strip_chars()
        changes.append(
            pl.when(phone.str.contains(r"^8[0-9]{8,12}$"))
            .then(pl.lit("0") + phone)
            .otherwise(pl.col("phone"))
            .alias("phone")
        )
    if "declared_income" in frame.columns:
        income = pl.col("declared_income").str.strip_chars()
        changes.append(
            pl.when(income.str.contains(r"^[0-9]+\.0+$"))
            .then(income.str.replace(r"\.0+$", ""))
            .otherwise(pl.col("declared_income"))
            .alias("declared_income")
        )
    village = _tolerant_village(frame, context)
    changes.append(village.alias("village_code"))
    frame = frame.with_columns(changes)
    missing = [f for f in FIELD_ORDER if f not in frame.columns]
    return frame.with_columns(pl.lit(None, dtype=pl.String).alias(f) for f in missing)


def _tolerant_nik() -> pl.Expr:
    # A leading apostrophe is how people force Excel to keep a number as text.
    return pl.col("nik").str.strip_chars().str.strip_prefix("'")


def _tolerant_village(frame: pl.DataFrame, context: Context) -> pl.Expr:
    """The village code with the dots put back and the default village filled in."""
    village = pl.col("village_code") if "village_code" in frame.columns else pl.lit(None)
    village = village.cast(pl.String).str.strip_chars()
    village = (
        pl.when(village.str.contains(r"^[0-9]{10}$"))
        .then(
            pl.concat_str(
                village.str.slice(0, 2),
                village.str.slice(2, 2),
                village.str.slice(4, 2),
                village.str.slice(6, 4),
                separator=".",
            )
        )
        .otherwise(village)
    )
    if context.default_village:
        village = pl.when(_blank(village)).then(pl.lit(context.default_village)).otherwise(village)
    return village


def _clean_nik(nik: pl.Expr) -> pl.Expr:
    """The NIK as checked: no spaces, no Excel ``.0`` tail (after :func:`tolerate`)."""
    nik = (
        nik.fill_null("")
        .str.strip_chars()
        .str.replace_all(" ", "", literal=True)
        .str.replace_all("\u00a0", "", literal=True)
    )
    return pl.when(nik.str.contains(r"^\d{16}[.,]0+$")).then(nik.str.slice(0, 16)).otherwise(nik)


def _well_formed(nik: pl.Expr) -> pl.Expr:
    return nik.str.contains(r"^[0-9]{16}$") & (nik.str.slice(12, 4) != "0000")


def order_keys(raw: pl.DataFrame, context: Context) -> pl.DataFrame:
    """``ROW``, ``village_id``, ``nik`` and ``first_row`` of every row of the whole file.

    The clean village and NIK are the loader's order; ``first_row`` (the first row of the
    file with the same well-formed NIK) is the one rule that needs the whole file. With
    these computed once, :func:`check_rows` can check the file chunk by chunk and give
    the same answers.
    """
    nik = _tolerant_nik() if "nik" in raw.columns else pl.lit(None, dtype=pl.String)
    frame = raw.select(
        pl.col(ROW),
        _tolerant_village(raw, context).fill_null("").str.strip_chars().alias("village_id"),
        _clean_nik(nik).alias("nik"),
    )
    key = pl.when(_well_formed(pl.col("nik"))).then(pl.col("nik")).otherwise(None)
    return frame.with_columns(
        pl.when(key.is_not_null())
        .then(pl.col(ROW).min().over(key))
        .otherwise(None)
        .alias(FIRST_ROW)
    )


# ---- the rules -------------------------------------------------------------------------


def _sex(value: str) -> str | None:
    sex = value.strip().upper()
    sex = {"LAKI-LAKI": "L", "PEREMPUAN": "P", "M": "L", "F": "P"}.get(sex, sex)
    return sex if sex in Person.Sex.values else None


def _birth_date(today: dt.date):
    def parse(value: str) -> dt.date | None:
        born = parse_date(value) if value.strip() else None
        if born is None or born > today or born.year < 1900:
            return None
        return born

    return parse


def _village_status(codes: list[str], user) -> dict[str, str]:
    """``ok``, ``village_unknown`` or ``village_out_of_scope`` for each distinct code."""
    known = set(
        Region.objects.filter(code__in=[c for c in codes if c], level=Region.Level.VILLAGE)
        .values_list("code", flat=True)
        .iterator(chunk_size=2000)
    )
    status = {}
    for code in codes:
        if code not in known:
            status[code] = "village_unknown"
        elif not in_scope(user, code):
            status[code] = "village_out_of_scope"
        else:
            status[code] = "ok"
    return status


def check_rows(raw: pl.DataFrame, context: Context) -> pl.DataFrame:
    """The checked rows: ``ROW``, the clean values, and the lists ``errors`` and ``warnings``.

    ``raw`` holds text columns named by field (see :mod:`lindung.imports.reading`). The
    work is done in three steps so that every parsed value is computed once.
    """
    frame = tolerate(raw, context)
    if NIK_NUMBER not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias(NIK_NUMBER))
    today = context.today
    col = pl.col

    def income_of(value: str):
        amount = parse_income(value)
        return amount if amount is not None and amount <= MAX_INCOME else None

    village = col("village_code").fill_null("").str.strip_chars()
    distinct = frame.select(village.unique().alias("k")).to_series().to_list()
    status = _memo(context, "village")
    status.update(_village_status([c for c in distinct if c not in status], context.user))
    status = {code: status[code] for code in distinct}
    if context.occupations is None:
        context.occupations = OccupationMatcher()
    matcher = context.occupations
    occupation_text = _ws(col("occupation")).str.slice(0, 80)
    occupation_keys = frame.select(occupation_text.unique().alias("k")).to_series().to_list()
    known = _memo(context, "occupation")
    for text in occupation_keys:
        if text not in known:
            known[text] = matcher.match(text) if text else None
    matches = {text: known[text] for text in occupation_keys}
    nik = _clean_nik(col("nik"))

    # Step 1: every value parsed once; the shared Python parsers run per distinct value.
    frame = frame.with_columns(
        _blank(col("full_name")).alias("_name_missing"),
        _ws(col("full_name")).alias("_name"),
        _blank(col("sex")).alias("_sex_missing"),
        _map(col("sex"), frame, _sex, pl.String, _memo(context, "sex")).alias("_sex"),
        _blank(col("birth_date")).alias("_born_missing"),
        _map(col("birth_date"), frame, _birth_date(today), pl.Date, _memo(context, "born")).alias(
            "_born"
        ),
        _blank(col("category")).alias("_category_missing"),
        _map(col("category"), frame, parse_category, pl.String, _memo(context, "category")).alias(
            "_category"
        ),
        _blank(col("declared_income")).alias("_income_missing"),
        _map(col("declared_income"), frame, income_of, pl.Int64, _memo(context, "income")).alias(
            "_income"
        ),
        _blank(col("village_code")).alias("_village_missing"),
        village.alias("_village"),
        village.replace_strict(status, default="village_unknown").alias("_village_status"),
        occupation_text.alias("_occupation_text"),
        occupation_text.replace_strict(
            {t: o.pk for t, o in matches.items() if o}, default=None, return_dtype=pl.Int64
        ).alias("_occupation_id"),
        col("phone").fill_null("").str.replace_all(r"[\s().-]", "").alias("_phone"),
        _blank(col("nik")).alias("_nik_missing"),
        nik.alias("_nik"),
    )

    # Step 2: the parts of the NIK (see lindung.people.nik.check_nik).
    nik = col("_nik")
    well_formed = _well_formed(nik)
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    two_digit_year = nik.str.slice(10, 2).cast(pl.Int32, strict=False)
    year = (
        pl.when(two_digit_year + 2000 <= today.year)
        .then(two_digit_year + 2000)
        .otherwise(two_digit_year + 1900)
    )
    real_day = pl.when(day > 40).then(day - 40).otherwise(day)
    nik_born = pl.concat_str(
        year.cast(pl.String).str.zfill(4),
        pl.lit("-"),
        nik.str.slice(8, 2),
        pl.lit("-"),
        real_day.cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)
    frame = frame.with_columns(
        (~col("_nik_missing") & nik.str.contains(_SCIENTIFIC)).alias("_scientific"),
        # A number cell of 16 digits ending in 0: the 16th digit was lost (see reading).
        (col(NIK_NUMBER).fill_null(False) & nik.str.contains(r"^\d{15}0$")).alias("_precision"),
        well_formed.alias("_well_formed"),
        nik.str.slice(0, 6)
        .is_in(pl.Series(sorted(district_prefixes())).implode())
        .alias("_in_district"),
        nik.str.slice(0, 4)
        .is_in(pl.Series(sorted(regency_prefixes())).implode())
        .alias("_in_regency"),
        pl.when(well_formed).then(nik_born).otherwise(None).alias("_nik_born"),
        pl.when(day > 40).then(pl.lit("P")).otherwise(pl.lit("L")).alias("_nik_sex"),
        real_day.alias("_nik_day"),
        nik.str.slice(8, 2).cast(pl.Int32, strict=False).alias("_nik_month"),
        two_digit_year.alias("_nik_year"),
    )
    # The same NIK twice: the first occurrence is kept, the others are refused. A chunk of
    # a file brings ``first_row`` along, computed on the whole file by :func:`order_keys`.
    if FIRST_ROW not in frame.columns:
        frame = frame.with_columns(order_keys(raw, context).get_column(FIRST_ROW))

    # Step 3: the codes, in the order of the template's columns.
    born, sex, nik_born = col("_born"), col("_sex"), col("_nik_born")
    name = col("_name")
    well_formed = col("_well_formed")

    def code(condition: pl.Expr, name: str) -> pl.Expr:
        return pl.when(condition).then(pl.lit(name)).otherwise(None)

    errors = [
        code(col(RAGGED), "row_ragged"),
        code(col("_nik_missing"), "nik_missing"),
        code(col("_scientific"), nik_rules.NIK_SCIENTIFIC),
        code(col("_precision"), nik_rules.NIK_PRECISION_LOST),
        code(~col("_nik_missing") & ~col("_scientific") & ~well_formed, nik_rules.NIK_FORMAT),
        code(
            ~col("_precision") & well_formed & ~col("_in_district") & ~col("_in_regency"),
            nik_rules.NIK_REGION,
        ),
        code(well_formed & nik_born.is_null(), nik_rules.NIK_DATE),
        code(col(FIRST_ROW).is_not_null() & (col(FIRST_ROW) != col(ROW)), "duplicate_in_file"),
        code(col("_name_missing"), "name_missing"),
        code(
            ~col("_name_missing") & ((name.str.len_chars() > 150) | ~name.str.contains(_NAME)),
            "name_invalid",
        ),
        code(col("_sex_missing"), "sex_missing"),
        code(~col("_sex_missing") & sex.is_null(), "sex_invalid"),
        code(
            nik_born.is_not_null() & sex.is_not_null() & (sex != col("_nik_sex")),
            nik_rules.SEX_MISMATCH,
        ),
        code(col("_born_missing"), "birth_date_missing"),
        code(~col("_born_missing") & born.is_null(), "birth_date_invalid"),
        code(
            nik_born.is_not_null()
            & born.is_not_null()
            & (
                (born.dt.day().cast(pl.Int32) != col("_nik_day"))
                | (born.dt.month().cast(pl.Int32) != col("_nik_month"))
                | ((born.dt.year() % 100).cast(pl.Int32) != col("_nik_year"))
            ),
            nik_rules.BIRTH_DATE_MISMATCH,
        ),
        code(col("_village_missing"), "village_missing"),
        pl.when(~col("_village_missing") & (col("_village_status") != "ok")).then(
            col("_village_status")
        ),
        code((col("_phone") != "") & ~col("_phone").str.contains(_PHONE), "phone_invalid"),
        code(col("_category_missing"), "category_missing"),
        code(~col("_category_missing") & col("_category").is_null(), "category_unknown"),
        code(col("_income_missing"), "income_missing"),
        code(~col("_income_missing") & col("_income").is_null(), "income_invalid"),
    ]
    warnings = [
        code(
            well_formed & ~col("_in_district") & col("_in_regency"),
            nik_rules.NIK_REGION_DISTRICT_UNKNOWN,
        ),
        code(
            (col("_occupation_text") != "") & col("_occupation_id").is_null(),
            "occupation_unknown",
        ),
    ]
    village = col("_village")
    values = [
        col(ROW),
        col("_nik").alias("nik"),
        name.alias("full_name"),
        sex.alias("sex"),
        born.alias("birth_date"),
        village.alias("village_id"),
        village.str.slice(0, 8).alias("district_code"),
        village.str.slice(0, 5).alias("regency_code"),
        village.str.slice(0, 2).alias("province_code"),
        _ws(col("address")).str.slice(0, 255).alias("address"),
        col("_phone").alias("phone"),
        col("_occupation_id").alias("occupation_id"),
        pl.when(col("_occupation_id").is_null())
        .then(col("_occupation_text"))
        .otherwise(pl.lit(""))
        .alias("occupation_text"),
        col("_category").alias("category"),
        col("_income").alias("declared_income"),
        col(FIRST_ROW),
    ]
    # The lists of codes are made for the flagged rows only: in a real file most rows
    # have none, and building then emptying a list per row costs more than all the rules.
    at = "_at"
    frame = frame.with_columns(
        pl.any_horizontal([c.is_not_null() for c in errors + warnings]).alias("_flagged"),
        pl.int_range(pl.len()).alias(at),
    )
    none = pl.lit([], dtype=pl.List(pl.String))
    clean = frame.filter(~col("_flagged")).select(
        *values, none.alias(ERRORS), none.alias(WARNINGS), at
    )
    flagged = frame.filter(col("_flagged")).select(
        *values,
        pl.concat_list(errors).list.drop_nulls().alias(ERRORS),
        pl.concat_list(warnings).list.drop_nulls().alias(WARNINGS),
        at,
    )
    return pl.concat([clean, flagged]).sort(at).drop(at)
