"""Reads for the release pages: only complete releases, only what may be shown.

A withdrawn record is never listed: the changelog lists added and corrected
public ids of members not withdrawn since, and counts the rest.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from releases.models import Change, Release, ReleaseFile, ReleaseMember

SHOWN_IDS = 200


def public_releases() -> QuerySet[Release]:
    return Release.objects.complete().prefetch_related("files", "amendments")


def release_by_number(*, number: int) -> Release:
    release = public_releases().filter(number=number).first()
    if release is None:
        raise Http404("No release with that number.")
    return release


def release_file(*, number: int, name: str) -> ReleaseFile:
    """A file as the release's record lists it; a name not listed is a 404, so no
    address reaches anything else on disk."""
    found = (
        ReleaseFile.objects.filter(
            release__number=number, release__completed_at__isnull=False, name=name
        )
        .select_related("release")
        .first()
    )
    if found is None:
        raise Http404("No such file in this release.")
    return found


def _listed(release: Release, change: Change) -> QuerySet[ReleaseMember]:
    return release.members.filter(
        change=change, withdrawn=False, public_id__startswith="T-"
    ).order_by("public_id")


@dataclass(frozen=True)
class Changelog:
    added: int
    corrected: int
    withdrawn: int
    added_ids: list[str]
    corrected_ids: list[str]

    @property
    def added_more(self) -> int:
        return self.added - len(self.added_ids)

    @property
    def corrected_more(self) -> int:
        return self.corrected - len(self.corrected_ids)


def changelog(release: Release) -> Changelog:
    """Testimonies added, corrected and withdrawn since the previous release."""
    added, corrected = _listed(release, Change.ADDED), _listed(release, Change.CORRECTED)
    return Changelog(
        added=added.count(),
        corrected=corrected.count(),
        withdrawn=release.withdrawn_since_previous,
        added_ids=list(added.values_list("public_id", flat=True)[:SHOWN_IDS]),
        corrected_ids=list(corrected.values_list("public_id", flat=True)[:SHOWN_IDS]),
    )


def changed_ids(release: Release) -> Iterator[tuple[str, str]]:
    """Every (change, public id) of the changelog, for its full download."""
    for change in (Change.ADDED, Change.CORRECTED):
        for public_id in (
            _listed(release, change).values_list("public_id", flat=True).iterator(chunk_size=2000)
        ):
            yield str(change), public_id
