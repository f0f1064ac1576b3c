"""manage.py create_editor: staff in the right group, never a superuser, with its second factor."""

import base64
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from lxml import html

from testimonies import services
from testimonies.models import Status
from tests.support import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
TESTIMONIES = reverse("admin:testimonies_testimony_changelist")


def create(name: str, role: str, *args: str, password: str = PASSWORD) -> str:
    out = io.StringIO()
    call_command(
        "create_editor",
        name,
        "--role",
        role,
        "--password-stdin",
        *args,
        stdin=io.StringIO(f"{password}\n"),
        stdout=out,
    )
    return out.getvalue()


def code_from(printed: str) -> str:
    """What the person's phone shows after scanning the printed URI."""
    uri = next(line for line in printed.splitlines() if line.startswith("otpauth://"))
    query = parse_qs(urlsplit(uri).query)
    secret = base64.b32decode(query["secret"][0])
    return f"{totp(secret, step=int(query['period'][0])):06d}"


def log_in_as_printed(client, user: User, printed: str) -> None:
    """Through the real log-in form, with the password and the code from the printed URI."""
    device = user.totpdevice_set.get()
    response = client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code_from(printed),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def admin_actions(client) -> list[str]:
    page = html.fromstring(client.get(TESTIMONIES).content)
    return [option.get("value") for option in page.cssselect("select[name=action] option")]


@pytest.fixture
def in_review():
    testimony = factories.make_testimony()
    factories.make_consent(testimony)
    return services.send_to_review(record=testimony, by=factories.make_user("Editor"))


class RoleTests:
    def test_an_editor_account_cannot_publish(self, client, in_review):
        printed = create("somsri", "editor")
        user = User.objects.get(username="somsri")
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
        with pytest.raises(services.WorkflowError):
            services.publish(record=in_review, by=user)
        log_in_as_printed(client, user, printed)
        actions = admin_actions(client)
        assert "send_to_review" in actions and "publish" not in actions

    def test_a_reviewer_account_can(self, client, in_review):
        printed = create("malee", "reviewer")
        user = User.objects.get(username="malee")
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == ["Reviewer"]
        log_in_as_printed(client, user, printed)
        assert "publish" in admin_actions(client)
        assert services.publish(record=in_review, by=user).status == Status.PUBLISHED

    def test_the_qr_code_is_printed_unless_asked_not_to(self):
        printed = create("one", "editor")
        assert "\u2580" in printed or "\u2584" in printed
        quiet = create("three", "editor", "--no-qr")
        assert "\u2580" not in quiet and "\u2584" not in quiet
        assert "otpauth://" in quiet

    def test_a_bad_role_is_a_clear_error(self):
        with pytest.raises(
            CommandError,
            match=r"--role: invalid choice: 'boss' \(choose from 'editor', 'reviewer'\)",
        ):
            create("somsri", "boss")
        with pytest.raises(CommandError, match="the following arguments are required: --role"):
            call_command("create_editor", "somsri", stdout=io.StringIO())
        assert not User.objects.filter(username="somsri").exists()


class SameNameTests:
    def test_a_second_call_refuses_and_changes_nothing(self):
        create("somsri", "editor")
        before = User.objects.get(username="somsri")
        with pytest.raises(CommandError, match=r"'somsri' already exists \(Editor\); nothing was"):
            create("somsri", "reviewer", password="another long password 99")
        after = User.objects.get(username="somsri")
        assert list(after.groups.values_list("name", flat=True)) == ["Editor"]
        assert after.password == before.password
        assert after.totpdevice_set.count() == 1

    def test_a_superuser_is_never_touched(self, admin_user):
        with pytest.raises(CommandError, match=r"already exists \(a superuser\)"):
            create(admin_user.username, "editor")


class PasswordTests:
    def test_a_weak_password_is_refused_and_nothing_is_made(self):
        with pytest.raises(CommandError, match="Password refused: This password is too short"):
            create("somsri", "editor", password="abc")
        assert not User.objects.filter(username="somsri").exists()

    def test_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("ARCHIVE_EDITOR_PASSWORD", PASSWORD)
        call_command("create_editor", "somsri", "--role", "editor", stdout=io.StringIO())
        assert User.objects.get(username="somsri").check_password(PASSWORD)

    def test_asked_twice_in_a_terminal_until_both_agree(self, monkeypatch):
        answers = iter(["first long password 1", "does not match", PASSWORD, PASSWORD])
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
        terminal = io.StringIO()
        terminal.isatty = lambda: True
        err = io.StringIO()
        call_command(
            "create_editor",
            "somsri",
            "--role",
            "reviewer",
            stdin=terminal,
            stdout=io.StringIO(),
            stderr=err,
        )
        assert "The two passwords differ" in err.getvalue()
        assert User.objects.get(username="somsri").check_password(PASSWORD)

    def test_without_a_terminal_or_a_script_password_it_says_how(self, monkeypatch):
        monkeypatch.delenv("ARCHIVE_EDITOR_PASSWORD", raising=False)
        with pytest.raises(CommandError, match="--password-stdin"):
            call_command(
                "create_editor",
                "somsri",
                "--role",
                "editor",
                stdin=io.StringIO(),
                stdout=io.StringIO(),
            )


class WithoutTwoFactorTests:
    def test_no_device_where_the_admin_asks_for_no_code(self, settings):
        settings.ADMIN_REQUIRE_2FA = False
        printed = create("somsri", "editor")
        assert "otpauth://" not in printed
        assert "add_totp_device somsri" in printed
        assert not User.objects.get(username="somsri").totpdevice_set.exists()
