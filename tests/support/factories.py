"""Builders for test records: real rows in the real database, with sensible defaults."""

import datetime
import importlib
import itertools

from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from laws.models import Clause, Law
from testimonies import services
from testimonies.models import (
    Consent,
    RaidIncident,
    RendersMarkedText,
    Status,
    Testimony,
    ViolationType,
)

_counter = itertools.count(1)


def make_law(**overrides) -> Law:
    n = next(_counter)
    fields = {
        "slug": f"test-act-{n}",
        "short_name": f"Test Act {n}",
        "title_en": f"Test Act number {n}",
        "jurisdiction": Law.Jurisdiction.THAILAND,
        "kind": Law.Kind.ACT,
        "year": 2008,
        "year_be": 2551,
    }
    fields.update(overrides)
    return Law.objects.create(**fields)


def make_clause(law: Law | None = None, **overrides) -> Clause:
    n = next(_counter)
    fields = {
        "law": law or make_law(),
        "slug": f"s-{n}",
        "number": f"s. {n}",
        "heading": f"Heading of section {n}",
        "order": n,
    }
    fields.update(overrides)
    return Clause.objects.create(**fields)


def _to_sources(model: type[RendersMarkedText], overrides: dict) -> dict:
    """Public field names in ``overrides`` (``body=``) set the editors' text (``body_source``),
    which the model renders into the public fields when it is saved."""
    return {model.source_fields.get(name, name): value for name, value in overrides.items()}


def make_testimony(**overrides) -> Testimony:
    """A draft testimony; use ``publish_testimony`` for a published one.

    ``title``, ``body``, ``source`` and the other public text fields set the
    editors' text (the source fields), which the model renders.
    """
    n = next(_counter)
    fields = {
        "title_source": f"Account number {n}",
        "narrator_pseudonym": f"Narrator{n}",
        "nationality": "burmese",
        "age_group": "18-24",
        "work_setting": "karaoke",
        "province": "chiang-mai",
        "year_of_events": 2010,
        "language": "en",
        "summary_source": f"Summary of account {n}.",
        "body_source": f"First paragraph of account {n}.\n\nSecond paragraph of account {n}.",
        "source_source": "Written for the test suite.",
    }
    fields.update(_to_sources(Testimony, overrides))
    return Testimony.objects.create(**fields)


def make_incident(**overrides) -> RaidIncident:
    n = next(_counter)
    fields = {
        "title_source": f"Raid number {n}",
        "date": "2011-03-01",
        "province": "tak",
        "venue_type": "karaoke",
        "description_source": f"Description of raid {n}.",
    }
    fields.update(_to_sources(RaidIncident, overrides))
    return RaidIncident.objects.create(**fields)


def make_violation_type(**overrides) -> ViolationType:
    n = next(_counter)
    fields = {"slug": f"type-{n}", "label": f"Violation type {n}", "scope_note": "For tests."}
    fields.update(overrides)
    return ViolationType.objects.create(**fields)


def make_user(*groups: str, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password="a-long-test-password", is_staff=True
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_consent(testimony: Testimony, **overrides) -> Consent:
    """Record consent as a reviewer does, through the service."""
    fields = {"basis": "written", "scope": "full", "given_on": datetime.date(2011, 6, 1)}
    fields.update(overrides)
    return services.consent_record(testimony=testimony, by=make_user("Reviewer"), **fields)


def publish_testimony(testimony: Testimony | None = None, **overrides) -> Testimony:
    """Take a testimony through review to publication, as a reviewer would.

    A testimony without a consent record gets one for publication in full.
    """
    reviewer = make_user("Reviewer")
    testimony = testimony or make_testimony(**overrides)
    if not Consent.objects.filter(testimony=testimony).exists():
        make_consent(testimony)
    if testimony.status == Status.DRAFT:
        testimony = services.send_to_review(record=testimony, by=reviewer)
    return services.publish(record=testimony, by=reviewer)


def publish_incident(incident: RaidIncident | None = None, **overrides) -> RaidIncident:
    reviewer = make_user("Reviewer")
    incident = incident or make_incident(**overrides)
    if incident.status == Status.DRAFT:
        incident = services.send_to_review(record=incident, by=reviewer)
    return services.publish(record=incident, by=reviewer)


def make_totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user``, as ``manage.py add_totp_device`` makes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


class OTPClient(Client):
    """The test client whose ``force_login`` also passes the admin's second factor.

    The admin lets staff in only once they have typed a code from a registered
    authenticator in this session. Tests that are about something else log in
    with ``client.force_login(user)`` as before and are verified the way a real
    code would verify them (the device's id in the session); tests about the
    second factor itself pass ``otp_verified=False``.
    """

    def force_login(self, user, backend=None, *, otp_verified: bool = True) -> None:
        super().force_login(user, backend)
        if otp_verified:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = make_totp_device(user).persistent_id
            session.save()


def restore_seed_data() -> None:
    """Put back what the data migration creates (editorial groups, fixed vocabularies).

    Live-server tests empty the database between tests (flush), which removes them.
    """
    from django.apps import apps

    if not Group.objects.filter(name="Editor").exists():
        migration = importlib.import_module("testimonies.migrations.0002_vocabulary_and_groups")
        migration.seed(apps, None)
        consent = importlib.import_module(
            "testimonies.migrations.0008_copy_text_to_sources_and_consent_permissions"
        )
        consent.forwards(apps, None)
        pages = importlib.import_module("pages.migrations.0002_group_permissions")
        pages.forwards(apps, None)
        reference = importlib.import_module("laws.migrations.0007_reference_changes")
        reference.forwards(apps, None)
