"""Create an editor's or a reviewer's account: staff, in its group, never a superuser."""

import getpass
import os
import sys
from typing import Any, TextIO

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from accounts.services import (
    ROLE_GROUPS,
    AccountError,
    password_problems,
    staff_account_create,
    staff_account_refusal,
)
from accounts.totp import device_enrol, enrolment_write

PASSWORD_ENV = "ARCHIVE_EDITOR_PASSWORD"


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Create a staff account for NAME in the Editor or Reviewer group (never a superuser). "
        "The password is asked for twice, or read from the first line of standard input "
        f"(--password-stdin) or from {PASSWORD_ENV}. Where the admin asks for a one-time code, "
        "an authenticator device is enrolled and its URI and QR code printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", metavar="NAME")
        parser.add_argument(
            "--role",
            required=True,
            choices=list(ROLE_GROUPS),
            help="editor: writes drafts and sends them to review; "
            "reviewer: also publishes, corrects and withdraws",
        )
        parser.add_argument("--email", default="", help="the person's e-mail address")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input (for scripts)",
        )
        parser.add_argument("--no-qr", action="store_true", help="print the device's URI only")

    def execute(self, *args: Any, **options: Any) -> str | None:
        # As createsuperuser does, so that tests can hand the command a stdin.
        terminal: TextIO = sys.stdin
        self.stdin: TextIO = options.get("stdin", terminal)
        return super().execute(*args, **options)

    def handle(self, *args, username: str, role: str, email: str, **options) -> None:
        # Before any password is typed: a name that is taken is refused at once.
        if refusal := staff_account_refusal(username=username):
            raise CommandError(refusal)
        password = self._password(username, email, from_stdin=options["password_stdin"])
        try:
            with transaction.atomic():
                user = staff_account_create(
                    username=username, role=role, password=password, email=email
                )
                device = device_enrol(user=user)[0] if settings.ADMIN_REQUIRE_2FA else None
        except AccountError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {username}, a staff account in the {ROLE_GROUPS[role]} group."
            )
        )
        if device is None:
            self.stdout.write(
                "The admin asks for no one-time code on this machine (ADMIN_2FA_OPTIONAL); "
                f"before it runs in production, enrol one: manage.py add_totp_device {username}"
            )
            return
        enrolment_write(device=device, out=self.stdout, qr=not options["no_qr"])
        self.stdout.write(
            f"Give {username} the code above to scan into an authenticator app, in person; the "
            "log-in page asks for its six-digit code. The URI is a secret: do not keep it."
        )

    def _password(self, username: str, email: str, *, from_stdin: bool) -> str:
        if from_stdin:
            return self.stdin.readline().rstrip("\r\n")
        if PASSWORD_ENV in os.environ:
            return os.environ[PASSWORD_ENV]
        if not self.stdin.isatty():
            raise CommandError(
                "No password: run this in a terminal, or pass --password-stdin, "
                f"or set {PASSWORD_ENV}."
            )
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            if problems := password_problems(username=username, email=email, password=password):
                self.stderr.write("\n".join(problems))
                continue
            return password
