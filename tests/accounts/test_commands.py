import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from lindung.accounts.models import User
from lindung.accounts.services import authenticate_token

pytestmark = pytest.mark.django_db


def run(*args, stdin=""):
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin)):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_users_create_and_token():
    out = run(
        "users",
        "create",
        "--username",
        "op.celuk",
        "--role",
        "village_operator",
        "--region",
        "51.04.01.2005",
        "--password-stdin",
        stdin="rahasia-desa-celuk\n",
    )
    assert "op.celuk" in out
    user = User.objects.get(username="op.celuk")
    assert user.role == "village_operator" and user.region_id == "51.04.01.2005"
    assert user.check_password("rahasia-desa-celuk")
    assert user.password.startswith("argon2")
    token = run("users", "token", "op.celuk").strip()
    assert authenticate_token(token) == user


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "village_operator", "--region", "99.99"], "tidak ada"),
        (["--role", "village_operator"], "wajib punya wilayah"),
    ],
)
def test_users_create_refuses_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run("users", "create", "--username", "x", *args, "--password-stdin", stdin="abc-def-123\n")


def test_users_create_without_a_terminal_says_to_use_password_stdin():
    """A script without --password-stdin gets the way out, not getpass's traceback."""
    with pytest.raises(CommandError, match="--password-stdin"):
        run("users", "create", "--username", "x", "--role", "system_admin")
    assert not User.objects.filter(username="x").exists()


def test_users_token_for_unknown_user():
    with pytest.raises(CommandError, match="tidak ada"):
        run("users", "token", "siapa")


def test_nik_check_json(capsys):
    with pytest.raises(SystemExit) as exit_code:
        call_command("nik", "check", "5104011902850001", "5.10401E+15", "--json")
    assert exit_code.value.code == 1  # one of them is invalid
    data = json.loads(capsys.readouterr().out)
    assert [d["valid"] for d in data] == [True, False]
    assert data[1]["errors"] == ["nik_scientific_notation"]
    assert data[0]["district_code"] == "51.04.01"


def test_nik_check_text(capsys):
    call_command("nik", "check", "5104015902850002")
    out = capsys.readouterr().out
    assert "SAH" in out and "perempuan" in out and "19/02/1985" in out
