"""The two ways the system says no, shared by every app.

A :class:`Refusal` refuses a request as a whole (a proposal, a payment, a file) with a
stable ``code`` that files, the API and tests rely on, and an Indonesian message from the
subclass's catalogue. An :class:`Invalid` refuses a record field by field: its
``problems`` each carry a field, a code and a message. A file read whole (statistics, an
employer list) reports each wrong row as a :class:`RowProblem`.
"""

from dataclasses import dataclass


class Refusal(Exception):
    """Subclasses set ``messages``: ``{code: text}``, texts with ``%(name)s`` placeholders
    filled from the keyword arguments given with the code."""

    messages: dict = {}

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        text = str(self.messages.get(self.code, self.code))
        return text % self.params if self.params else text

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


class Invalid(Exception):
    """A record refused; ``problems`` say which field, which code, and how to fix it."""

    def __init__(self, problems: list):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


@dataclass
class RowProblem:
    """A row of an imported file that cannot be saved: its spreadsheet row number, the
    field and the column as the file names it, the value found, a stable code and the
    Indonesian message that says how to fix it."""

    row: int
    field: str
    column: str
    code: str
    value: str
    message: str
