"""A real Chromium driven by Playwright against the live test server.

The system's Chromium is used (no browser download). Without it these tests
are skipped with a reason, except where REQUIRE_BROWSER is set (CI installs
Chromium and sets it, so a missing browser fails the build there).
"""

import io
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Screenshots: BROWSER_ARTIFACTS names the folder; var/ is ignored by git.
ARTIFACTS = Path(
    os.environ.get(
        "BROWSER_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "browser-artifacts"
    )
)
# The two widths every journey is walked at.
JOURNEY_VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 800)}

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# the tests make to set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(params=list(JOURNEY_VIEWPORTS), ids=list(JOURNEY_VIEWPORTS))
def journey_context(request, browser):
    """A fresh browser profile at phone or desktop size (one person, one journey)."""
    width, height = JOURNEY_VIEWPORTS[request.param]
    contexts = []

    def new_context(**options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(autouse=True)
def seeded_vocabulary(transactional_db):
    """Live-server tests empty the database between tests (flush), which also
    removes what the data migration created: the editorial groups and the
    fixed vocabularies. Put them back the way that migration does."""
    from tests.support.factories import restore_seed_data

    restore_seed_data()


@pytest.fixture
def samples():
    """The laws, vocabulary and illustrative sample records that ship with the code."""
    from django.core.management import call_command

    call_command("load_archive", stdout=io.StringIO())
