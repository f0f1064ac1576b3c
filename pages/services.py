"""Writes to the archive's pages: seeding the first texts on a fresh archive."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from pages.models import Page

# <slug>.en.txt and <slug>.th.txt: the title on the first line, a blank line, the text.
SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "pages"


def _read(path: Path) -> tuple[str, str]:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return title.strip(), body.strip()


@transaction.atomic
def pages_seed(*, directory: Path = SEED_DIR) -> list[str]:
    """Create every page the archive lacks from its seed texts; return their slugs.

    A page that exists is never touched, so what staff wrote survives every
    ``load_archive``; a page added to the code later is still created then.
    """
    existing = set(Page.objects.values_list("slug", flat=True))
    created = []
    for slug in Page.Slug.values:
        english = directory / f"{slug}.en.txt"
        if slug in existing or not english.exists():
            continue
        title_en, body_en = _read(english)
        thai = directory / f"{slug}.th.txt"
        title_th, body_th = _read(thai) if thai.exists() else ("", "")
        Page.objects.create(
            slug=slug, title_en=title_en, body_en=body_en, title_th=title_th, body_th=body_th
        )
        created.append(slug)
    return created
