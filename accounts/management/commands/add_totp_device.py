"""Enrol an authenticator app for a staff account: prints its otpauth URI and a QR code."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from accounts.totp import device_enrol, enrolment_write


class Command(BaseCommand):
    help = (
        "Create a TOTP device for USERNAME and print the otpauth:// URI and a QR code to scan "
        "with an authenticator app. The admin then asks for its six-digit code at every log-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="label shown in the admin")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the user's other TOTP devices first (a lost or replaced phone)",
        )
        parser.add_argument("--no-qr", action="store_true", help="print the URI only")

    @transaction.atomic
    def handle(self, *args, username: str, name: str, replace: bool, no_qr: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        if not user.is_staff:
            self.stderr.write(f"Note: {username} is not staff and cannot use the admin yet.")
        device, removed = device_enrol(user=user, name=name, replace=replace)
        if removed:
            self.stdout.write(f"Removed {removed} earlier device(s).")
        enrolment_write(device=device, out=self.stdout, qr=not no_qr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Device {name!r} added for {username}. Scan the code (or type the secret from "
                "the URI) into an authenticator app; the URI is a secret, do not keep it."
            )
        )
