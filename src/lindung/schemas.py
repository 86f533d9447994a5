"""The API's error bodies, the same for every router (see ``lindung.api``)."""

from ninja import Schema


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
