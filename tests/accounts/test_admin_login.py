"""Staff log-in through the real HTTP form: password, one-time code, lockout."""

import base64
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from django_otp.oath import totp

from tests.support import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"  # what factories.make_user sets


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def log_in(client, user, *, password=PASSWORD, device=None, token="", **request):
    data = {"username": user.username, "password": password, "otp_token": token}
    if device is not None:
        data["otp_device"] = device.persistent_id
    return client.post(LOGIN, data, **request)


def reaches_admin(client) -> bool:
    response = client.get(reverse("admin:index"))
    return response.status_code == 200


class TwoFactorTests:
    def test_a_password_alone_does_not_open_the_admin(self, client, editor):
        client.force_login(editor, otp_verified=False)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert not reaches_admin(client)

    def test_the_login_page_asks_for_the_code(self, client):
        page = client.get(LOGIN).content.decode()
        assert 'name="otp_token"' in page

    def test_password_and_code_through_the_form_open_the_admin(self, client, editor):
        device = factories.make_totp_device(editor)
        response = log_in(client, editor, device=device, token=code_for(device))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert reaches_admin(client)

    def test_a_right_password_with_no_code_or_a_wrong_code_is_refused(self, client, editor):
        device = factories.make_totp_device(editor)
        assert log_in(client, editor, device=device).status_code == 200
        assert not reaches_admin(client)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = log_in(client, editor, device=device, token=wrong)
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
        assert not reaches_admin(client)

    def test_relaxed_only_where_the_setting_says_so(self, client, editor, settings):
        settings.ADMIN_REQUIRE_2FA = False
        client.force_login(editor, otp_verified=False)
        assert reaches_admin(client)
        errors = run_checks(include_deployment_checks=True)
        assert "accounts.E001" in [error.id for error in errors]


class EnrolmentTests:
    def test_add_totp_device_prints_a_uri_whose_codes_open_the_admin(self, client, editor):
        out = io.StringIO()
        call_command("add_totp_device", "editor", stdout=out)
        printed = out.getvalue()
        uri = next(line for line in printed.splitlines() if line.startswith("otpauth://"))
        parts = urlsplit(uri)
        assert parts.path == "/Testimony%20Archive%3Aeditor"
        query = parse_qs(parts.query)
        assert query["issuer"] == ["Testimony Archive"]
        assert "\u2580" in printed or "\u2584" in printed  # the QR code, in block characters
        # What a phone does with the URI: derive codes from the secret alone.
        secret = base64.b32decode(query["secret"][0])
        token = f"{totp(secret, step=int(query['period'][0])):06d}"
        device = editor.totpdevice_set.get()
        assert log_in(client, editor, device=device, token=token).status_code == 302
        assert reaches_admin(client)

    def test_replace_removes_the_old_device(self, editor):
        old = factories.make_totp_device(editor)
        call_command("add_totp_device", "editor", "--replace", "--no-qr", stdout=io.StringIO())
        assert list(editor.totpdevice_set.values_list("pk", flat=True)) != [old.pk]
        assert editor.totpdevice_set.count() == 1

    def test_an_unknown_user_is_a_clear_error(self):
        with pytest.raises(CommandError, match="No user named"):
            call_command("add_totp_device", "nobody", stdout=io.StringIO())


class LockoutTests:
    @pytest.fixture(autouse=True)
    def limit(self, settings):
        settings.AXES_FAILURE_LIMIT = 3

    def test_after_the_limit_even_the_right_password_gets_a_plain_429(self, client, editor):
        device = factories.make_totp_device(editor)
        for _ in range(2):
            assert log_in(client, editor, password="wrong").status_code == 200
        response = log_in(client, editor, password="wrong")
        assert response.status_code == 429
        response = log_in(client, editor, device=device, token=code_for(device))
        assert response.status_code == 429
        body = response.content.decode()
        assert "Too many failed log-in attempts" in body
        assert "15 minutes" in body
        assert "Traceback" not in body and "axes" not in body.lower()
        assert response["Retry-After"] == str(15 * 60)
        assert not reaches_admin(client)

    def test_wrong_codes_count_as_failures(self, client, editor):
        device = factories.make_totp_device(editor)
        statuses = [
            log_in(client, editor, device=device, token="000000").status_code for _ in range(4)
        ]
        assert statuses[-1] == 429, statuses

    def test_another_address_is_not_locked_out(self, client, editor):
        for _ in range(3):
            log_in(client, editor, password="wrong")
        other = factories.OTPClient(REMOTE_ADDR="192.0.2.7")
        device = factories.make_totp_device(editor)
        assert log_in(other, editor, device=device, token=code_for(device)).status_code == 302

    def test_a_forged_forwarded_for_buys_no_new_attempts(self, client, editor):
        statuses = [
            log_in(
                client, editor, password="wrong", headers={"x-forwarded-for": f"198.51.100.{n}"}
            ).status_code
            for n in range(4)
        ]
        assert statuses[-1] == 429, statuses

    def test_behind_a_proxy_one_reader_does_not_lock_out_another(self, client, editor, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        statuses = [
            log_in(
                client,
                editor,
                password="wrong",
                headers={"x-forwarded-for": "203.0.113.5"},
                **proxy,
            ).status_code
            for _ in range(4)
        ]
        assert statuses[-1] == 429, statuses
        device = factories.make_totp_device(editor)
        other = factories.OTPClient(**proxy)
        response = log_in(
            other,
            editor,
            device=device,
            token=code_for(device),
            headers={"x-forwarded-for": "192.0.2.44"},
        )
        assert response.status_code == 302


def _setting(name: str, **env: str) -> subprocess.CompletedProcess:
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "ADMIN_2FA_OPTIONAL")},
        "SECRET_KEY": "settings-test-key",
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "DATABASE_URL": "sqlite://:memory:",
        **env,
    }
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


class SettingsFromEnvironmentTests:
    def test_failure_limit_and_cool_off_come_from_the_environment(self):
        result = _setting("AXES_FAILURE_LIMIT", AXES_FAILURE_LIMIT="9")
        assert result.stdout.strip() == "9", result.stderr
        result = _setting("AXES_COOLOFF_TIME", AXES_COOLOFF_MINUTES="2")
        assert result.stdout.strip() == "0:02:00", result.stderr
        result = _setting("ARCHIVE_ACCOUNT_FAILURE_LIMIT", ARCHIVE_ACCOUNT_FAILURE_LIMIT="25")
        assert result.stdout.strip() == "25", result.stderr

    def test_two_factor_can_be_relaxed_only_with_debug_and_never_in_production(self):
        assert (
            _setting("ADMIN_REQUIRE_2FA", DJANGO_DEBUG="1", ADMIN_2FA_OPTIONAL="1").stdout.strip()
            == "False"
        )
        refused = _setting("ADMIN_REQUIRE_2FA", ADMIN_2FA_OPTIONAL="1")
        assert refused.returncode != 0 and "local development" in refused.stderr
        production = _setting(
            "ADMIN_REQUIRE_2FA",
            DJANGO_DEBUG="1",
            ADMIN_2FA_OPTIONAL="1",
            DJANGO_SETTINGS_MODULE="archive.settings.production",
        )
        assert production.stdout.strip() == "True", production.stderr


class AccountLockoutTests:
    """A guesser with many addresses gets no more tries at one account than the account limit."""

    @pytest.fixture(autouse=True)
    def limits(self, settings):
        settings.AXES_FAILURE_LIMIT = 3
        settings.ARCHIVE_ACCOUNT_FAILURE_LIMIT = 5

    @pytest.fixture(params=["direct", "behind a proxy"])
    def from_address(self, request, settings):
        """Request arguments that make the project see a given client address."""
        if request.param == "direct":
            return lambda address: {"REMOTE_ADDR": address}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        return lambda address: {"REMOTE_ADDR": "10.0.0.1", "headers": {"x-forwarded-for": address}}

    def test_failures_from_many_addresses_lock_the_account_until_the_cool_off_ends(
        self, editor, reviewer, from_address, settings
    ):
        device = factories.make_totp_device(editor)
        statuses = [
            log_in(
                factories.OTPClient(),
                editor,
                password="wrong",
                **from_address(f"198.51.100.{n}"),
            ).status_code
            for n in range(5)
        ]
        # One failure per address: no address reaches its own limit of 3.
        assert statuses == [200, 200, 200, 200, 429], statuses

        fresh = factories.OTPClient()
        response = log_in(
            fresh, editor, device=device, token=code_for(device), **from_address("203.0.113.9")
        )
        assert response.status_code == 429
        assert not reaches_admin(fresh)
        # The refused attempt counts too: trying on keeps the account locked.
        assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 6

        other = factories.OTPClient()
        other_device = factories.make_totp_device(reviewer)
        response = log_in(
            other,
            reviewer,
            device=other_device,
            token=code_for(other_device),
            **from_address("203.0.113.10"),
        )
        assert response.status_code == 302
        assert reaches_admin(other)

        # The cool-off passes: the stored attempts age past it.
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
        )
        later = factories.OTPClient()
        response = log_in(
            later, editor, device=device, token=code_for(device), **from_address("203.0.113.11")
        )
        assert response.status_code == 302
        assert reaches_admin(later)

    def test_wrong_codes_after_the_right_password_count_against_the_account(
        self, editor, from_address
    ):
        device = factories.make_totp_device(editor)
        statuses = [
            log_in(
                factories.OTPClient(),
                editor,
                device=device,
                token="000000",
                **from_address(f"198.51.100.{n}"),
            ).status_code
            for n in range(5)
        ]
        assert statuses[-1] == 429, statuses
        response = log_in(
            factories.OTPClient(),
            editor,
            device=device,
            token=code_for(device),
            **from_address("203.0.113.9"),
        )
        assert response.status_code == 429

    def test_an_administrator_can_lift_an_account_lock(self, editor):
        device = factories.make_totp_device(editor)
        for n in range(5):
            log_in(factories.OTPClient(REMOTE_ADDR=f"198.51.100.{n}"), editor, password="wrong")
        client = factories.OTPClient(REMOTE_ADDR="203.0.113.9")
        assert log_in(client, editor, device=device, token=code_for(device)).status_code == 429
        call_command("axes_reset_username", "editor", stdout=io.StringIO())
        assert log_in(client, editor, device=device, token=code_for(device)).status_code == 302
