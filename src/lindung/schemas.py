"""The API's error bodies and value types, the same for every router (see ``lindung.api``)."""

import datetime as dt
import re
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

# A month as the API writes and reads it: ``2024-01``.
Month = Annotated[str, Field(pattern=MONTH_PATTERN, examples=["2024-01"])]


def _iso_date_only(value):
    """``2024-02-15`` and nothing else: pydantic alone would also read ``0`` (as seconds
    since 1970) or ``1e9`` as a date, which no client means."""
    if isinstance(value, dt.date) or value is None:
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("date_invalid")
    return value.strip()


# A record's id in a body: a database key (a larger number is a 422, not an overflow).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]

# A date the API reads as ``YYYY-MM-DD`` only (a filter, an "as of" date).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]

# A date and a month an operation checks itself, with its own message (the type documents
# the format; an empty value means "today" or "the default range").
DateQuery = Annotated[
    str,
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"const": ""}]}),
]
MonthQuery = Annotated[
    str, WithJsonSchema({"anyOf": [{"type": "string", "pattern": MONTH_PATTERN}, {"const": ""}]})
]

# A date the API reads as written by people as well as by programs: ``2024-02-15`` or
# ``15/02/2024`` (the services parse both, and explain any other).
_DATE_FORMS = [
    {"type": "string", "format": "date"},
    {"type": "string", "pattern": r"^\d{1,2}[/-]\d{1,2}[/-]\d{4}$"},
]
DateText = Annotated[
    str, WithJsonSchema({"anyOf": _DATE_FORMS, "examples": ["2024-02-15", "15/02/2024"]})
]
# The same in a query, where empty means today.
DateTextQuery = Annotated[str, WithJsonSchema({"anyOf": [*_DATE_FORMS, {"const": ""}]})]


class Refusal(Schema):
    """A request refused as a whole: ``{"code", "message"}``."""

    code: str
    message: str


class Problem(Schema):
    field: str
    code: str
    message: str


class Problems(Schema):
    """A record refused field by field (422): ``{"errors": [{"field", "code", "message"}]}``."""

    errors: list[Problem]


def as_problems(refusal, field: str = "request") -> dict:
    """A refusal of the input (422) in the one shape every 422 has: a list of problems, so
    that a client reads the answer the same way whether the input failed its schema or a
    rule of the service (``field`` is ``request`` when no single field is at fault)."""
    return {"errors": [{"field": field, "code": refusal.code, "message": str(refusal.message)}]}


# The answers every operation may give besides its own, with why (see ``document_errors``).
_ERRORS = {
    400: ("Refusal", "Isi permintaan bukan JSON yang dapat dibaca, atau berisi karakter NUL."),
    401: ("Refusal", "Token tidak ada atau tidak sah."),
    403: ("Refusal", "Peran Anda tidak boleh melakukan ini (atau token CSRF tidak ada)."),
    404: ("Refusal", "Data tidak ada atau di luar wilayah kerja Anda."),
    422: ("Problems", "Isian tidak sah: per isian, kode dan pesan."),
}


# Query parameters that name a program or a region: one the user may not see is a 404.
OBJECT_QUERIES = {"program", "region"}


def document_errors(schema: dict) -> dict:
    """Declare in the OpenAPI document the error answers the operations share.

    Every operation needs a token (401) and a role that may do it (403), and refuses a body
    that is not JSON or input with a NUL character (400); one with an object in its path or
    query answers 404 when it does not exist or lies outside the user's region (the scope
    never says which); one with parameters or a body answers 422 when they do not validate.
    An operation's own declaration of a status (a 409 with its codes, say) is kept.
    """
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            names = {p["name"] for p in operation.get("parameters", [])}
            wanted = [400, 401, 403]
            if "{" in path or names & OBJECT_QUERIES:
                wanted.append(404)
            if operation.get("parameters") or "requestBody" in operation:
                wanted.append(422)
            responses = operation["responses"]  # django-ninja keys them by int
            for status in wanted:
                if status in responses or str(status) in responses:
                    continue
                name, description = _ERRORS[status]
                responses[status] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                }
    return schema
