"""/data/: the releases, each at its permanent address. Views parse, call, render."""

import base64
import csv
from collections.abc import Iterator

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from archive import licences
from releases import selectors, storage
from releases.build import facts_of
from releases.metadata import citation_text


@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    releases = list(selectors.public_releases())
    return render(
        request,
        "releases/list.html",
        {
            "releases": releases,
            "cited": [(r, citation_text(facts_of(r))) for r in releases],
            "texts_licence": licences.TEXTS,
            "data_licence": licences.DATA,
        },
    )


@require_GET
def release_detail(request: HttpRequest, number: int) -> HttpResponse:
    release = selectors.release_by_number(number=number)
    return render(
        request,
        "releases/detail.html",
        {
            "release": release,
            "files": release.files.all(),
            "changelog": selectors.changelog(release),
            "citation": citation_text(facts_of(release)),
            "texts_licence": licences.TEXTS,
            "data_licence": licences.DATA,
        },
    )


@require_GET
def release_file(request: HttpRequest, number: int, name: str) -> FileResponse:
    """A file of a release, streamed from disk in blocks (FileResponse), never read whole."""
    record = selectors.release_file(number=number, name=name)
    path = storage.release_folder(number) / record.name
    try:
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError as missing:
        raise Http404("This file is missing from the release's folder.") from missing
    response = FileResponse(stream, content_type=record.media_type)
    response["Content-Disposition"] = f'inline; filename="{record.name}"'
    response["Digest"] = f"sha-256={_base64(record.sha256)}"
    return response


def _base64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def release_changes(request: HttpRequest, number: int) -> StreamingHttpResponse:
    """Every added and corrected testimony of a release, as CSV; withdrawn ones never."""
    release = selectors.release_by_number(number=number)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(["change", "public_id"])
        for change, public_id in selectors.changed_ids(release):
            yield writer.writerow([change, public_id])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="release-{number}-changes.csv"'
    return response
