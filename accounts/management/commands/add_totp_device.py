"""Enrol an authenticator app for a staff account: prints its otpauth URI and a QR code."""

import segno
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


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
        if replace:
            removed, _ = TOTPDevice.objects.filter(user=user).delete()
            if removed:
                self.stdout.write(f"Removed {removed} earlier device(s).")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        uri = device.config_url
        self.stdout.write(uri)
        if not no_qr:
            # Half-block characters: a QR code any phone camera reads off a terminal.
            segno.make(uri, error="m").terminal(out=self.stdout, compact=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Device {name!r} added for {username}. Scan the code (or type the secret from "
                "the URI) into an authenticator app; the URI is a secret, do not keep it."
            )
        )
