"""WCAG 2.2 AA in a real browser: axe-core on the main pages, and the search used by keyboard alone.

axe-core comes from npm (package-lock.json; ``make test`` runs ``npm ci``).
Serious and critical violations fail the test; the rest are printed.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from testimonies.models import RaidIncident, Testimony
from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def main_pages() -> list[tuple[str, str]]:
    testimony = Testimony.objects.public().filter(clause_links__isnull=False).first()
    link = testimony.clause_links.select_related("clause__law").first()
    incident = RaidIncident.objects.public().first()
    return [
        ("home", "/"),
        ("search", "/testimonies/?q=shelter&nationality=burmese&nationality=shan&sort=newest"),
        ("testimony", testimony.get_absolute_url()),
        ("law", link.clause.law.get_absolute_url()),
        ("clause", link.clause.get_absolute_url()),
        ("incident", incident.get_absolute_url()),
        ("bad-request", "/testimonies/?year_from=not-a-year"),
        ("about", "/about/"),
        ("open-data", "/open-data/"),
    ]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )


@pytest.fixture(params=[(1280, 900), (375, 740)], ids=["desktop", "phone"])
def axe_context(request, browser):
    width, height = request.param
    # axe is injected as a script: let it past the pages' no-inline-script policy.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    yield context
    context.close()


class AxeTests:
    @pytest.mark.parametrize("language", ["en", "th"])
    def test_main_pages_have_no_serious_violations(
        self, live_server, axe_context, samples, language
    ):
        axe_context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = axe_context.new_page()
        failures = []
        for name, path in main_pages():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == (400 if name == "bad-request" else 200), path
            assert page.locator("html").get_attribute("lang") == language
            violations = axe_violations(page)
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            if violations:
                print(f"{language} {name} {path}\n{describe(violations)}")
            if serious:
                failures.append(f"{name} ({path}):\n{describe(serious)}")
        assert not failures, "\n\n".join(failures)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id, name: e.name || '', value: e.value || '',
                type: e.type || '', checked: !!e.checked, text: (e.textContent || '').trim(),
                panel: !!e.closest('.facet-panel'), open: !!(e.closest('details') || {}).open}; }"""
    )


def tab_until(page, wanted, *, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
        if element["tag"] == "summary" and element["panel"] and not element["open"]:
            page.keyboard.press("Enter")  # the folded facet panel on a phone: open it
    pytest.fail("never reached the wanted control by Tab")


class KeyboardTests:
    def test_search_and_tick_a_facet_with_the_keyboard_alone(self, live_server, page, samples):
        page.goto(f"{live_server.url}/testimonies/")
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["tag"] == "a" and "Skip to" in first["text"]
        tab_until(page, lambda e: e["id"] == "q")
        page.keyboard.type("shelter")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"q=shelter"))
        heading = page.locator("#results-heading")
        before = heading.text_content()

        checkbox = tab_until(page, lambda e: e["type"] == "checkbox" and e["name"] == "nationality")
        page.keyboard.press("Space")
        expect(page).to_have_url(re.compile(rf"nationality={checkbox['value']}"))
        expect(heading).not_to_have_text(before)
        chip = page.locator(".chip")
        expect(chip).to_have_count(1)
        # The results were replaced in place: the keyboard stays on the box just ticked.
        after = focused(page)
        assert (after["name"], after["value"], after["checked"]) == (
            "nationality",
            checkbox["value"],
            True,
        )
        screenshot(page, "keyboard-facet-ticked")
