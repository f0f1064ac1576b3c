"""Enrolling a staff account's authenticator app, shared by the account commands."""

from io import StringIO, TextIOBase
from typing import TextIO

import segno
from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_enrol(
    *, user: AbstractBaseUser, name: str = "authenticator", replace: bool = False
) -> tuple[TOTPDevice, int]:
    """A new confirmed TOTP device for ``user``, and how many earlier ones ``replace`` removed."""
    removed = 0
    if replace:
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True), removed


def enrolment_write(*, device: TOTPDevice, out: TextIO | TextIOBase, qr: bool = True) -> None:
    """The device's otpauth:// URI on a line of its own, then its QR code unless ``qr`` is off."""
    uri = device.config_url
    out.write(uri)
    if qr:
        # Half-block characters: a QR code any phone camera reads off a terminal. Drawn
        # whole and written at once, as a command's output ends every write with a newline.
        drawn = StringIO()
        segno.make(uri, error="m").terminal(out=drawn, compact=True)
        out.write(drawn.getvalue())
