"""Consent, and what it does to text already published."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from testimonies.models import (
    Consent,
    ConsentBasis,
    ConsentScope,
    Status,
    Testimony,
)
from testimonies.search import index as indexing
from testimonies.search import pagecache
from testimonies.services.common import User, WorkflowError, _locked, _require
from testimonies.services.versions import _withhold_from_versions, record_version


def consent_record(
    *,
    testimony: Testimony,
    scope: str,
    basis: str,
    given_on: date,
    note: str = "",
    by: User,
) -> Consent:
    """Record the narrator's consent, or change it; every public text obeys it at once.

    Narrowing a published testimony to excerpts takes the other paragraphs
    out of everything the public reads, in this one transaction: the current
    text (a new version), every earlier version (each keeps its number and
    says text was withheld at the narrator's request), the search index and
    the page cache, so no citation, feed, export, API answer or harvest can
    serve them afterwards.
    """
    testimony_id = testimony.pk
    codename = (
        "change_consent"
        if Consent.objects.filter(testimony_id=testimony_id).exists()
        else "add_consent"
    )
    _require(by, codename, _("You do not have permission to record consent."))
    if scope not in ConsentScope.values or basis not in ConsentBasis.values:
        raise WorkflowError(_("Unknown consent scope or basis."))
    with transaction.atomic():
        testimony = _locked(testimony)
        if testimony.status == Status.PUBLISHED and scope == ConsentScope.RESEARCH:
            raise WorkflowError(
                _(
                    "%(record)s is published. If the narrator no longer agrees to publication, "
                    "withdraw it rather than changing the scope."
                )
                % {"record": testimony}
            )
        consent, _created = Consent.objects.update_or_create(
            testimony=testimony,
            defaults={"scope": scope, "basis": basis, "given_on": given_on, "note": note},
        )
        before = (testimony.title, testimony.summary, testimony.body)
        testimony.render_public_text(scope=scope)
        if (testimony.title, testimony.summary, testimony.body) != before:
            testimony.save()
        if testimony.status == Status.PUBLISHED and scope == ConsentScope.EXCERPTS:
            # The new version first: once the earlier ones are withheld, the
            # latest of them may read the same as the narrowed text.
            made = record_version(
                testimony=testimony,
                correction_note=_("Text withheld at the narrator's request."),
            )
            withheld = _withhold_from_versions(testimony, at=timezone.now())
            if withheld or made:
                indexing.sync_testimony(testimony)
                transaction.on_commit(pagecache.purge)
    return consent
