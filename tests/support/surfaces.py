"""Every public address that shows one testimony, and what each answers.

For tests that must prove a text is gone from everywhere the public reads
it: pages, every version, citation files, the API, CSV, feeds, OAI-PMH,
the sitemap and search (whose pages are cached, so each is asked twice).
"""

import html
from urllib.parse import urlencode

from django.urls import reverse

from testimonies.models import Testimony
from testimonies.views import CITATION_FORMATS


def testimony_urls(testimony: Testimony, *, query: str) -> list[str]:
    """The addresses that show ``testimony``, with ``query`` searched where search is."""
    base = testimony.get_absolute_url()
    pages = [base, *(f"{base}v{n}/" for n in testimony.versions.values_list("number", flat=True))]
    search = urlencode({"q": query})
    return [
        *pages,
        *(f"{page}cite.{fmt}" for page in pages for fmt in CITATION_FORMATS),
        reverse("api:testimony-detail", kwargs={"public_id": testimony.public_id}),
        f"{reverse('api:testimony-list')}?{search}",
        f"{reverse('testimonies:testimony_list')}?{search}",
        f"{reverse('opendata:search_csv')}?{search}",
        reverse("opendata:search_csv"),
        reverse("opendata:testimony_feed"),
        f"{reverse('opendata:search_feed')}?{search}",
        f"{reverse('opendata:oai')}?verb=ListRecords&metadataPrefix=oai_dc",
        reverse("opendata:sitemap"),
        reverse("testimonies:home"),
    ]


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # Entities decoded, so that an escaped word is found too.
    return html.unescape(content.decode("utf-8", "replace"))


def answers(client, testimony: Testimony, *, query: str) -> dict[str, str]:
    """Each address's answer, asked twice so that a cached copy is read as well."""
    found = {}
    for url in testimony_urls(testimony, query=query):
        for attempt in (1, 2):
            response = client.get(url)
            assert response.status_code == 200, url
            found[f"{url} (#{attempt})"] = text_of(response)
    return found
