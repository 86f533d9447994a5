import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from lindung.accounts.models import Role, User
from lindung.accounts.services import UserInvalid, create_user, issue_token
from lindung.privacy.history import TrackedCommand


class Command(TrackedCommand):
    help = "Kelola pengguna: users create, users token."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="buat atau perbarui pengguna")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--region", default=None, help="kode wilayah, mis. 51.04")
        create.add_argument("--password-stdin", action="store_true")
        token = sub.add_parser("token", help="cetak token API baru untuk skrip")
        token.add_argument("username")
        token.add_argument(
            "--name", default="", help="untuk apa token ini (tampil di daftar token)"
        )

    def handle(self, *args, action, **options):
        if action == "token":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['username']}' tidak ada.")
            self.stdout.write(issue_token(user, name=options.get("name") or ""))
            return
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif not sys.stdin.isatty():
            # Without a terminal getpass reads standard input, which a script may have
            # closed: say what to do instead of ending in a traceback.
            raise CommandError(
                "Tidak ada terminal untuk mengetik kata sandi: berikan lewat --password-stdin."
            )
        else:
            password = getpass.getpass("Kata sandi: ")
            if password != getpass.getpass("Ulangi kata sandi: "):
                raise CommandError("Kedua kata sandi tidak sama.")
        if not password:
            raise CommandError("Kata sandi kosong: berikan lewat --password-stdin.")
        try:
            user = create_user(
                username=options["username"],
                role=options["role"],
                region_code=options["region"],
                password=password,
            )
        except (UserInvalid, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Pengguna {user.username} ({user.get_role_display()}, "
            f"wilayah {user.region_id or 'seluruh Indonesia'}) siap."
        )
