"""A Thai reader switches to Thai and reads a law, a clause, a testimony and the facets."""

import pytest
from playwright.sync_api import expect

from testimonies.models import TestimonyClause
from tests.browser.conftest import screenshot
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAW_TH = "พ.ร.บ.ค้ามนุษย์ 2551"
TITLE_TH = "พระราชบัญญัติป้องกันและปราบปรามการค้ามนุษย์ พ.ศ. ๒๕๕๑"
HEADING_TH = "การรับตัวบุคคลที่อาจเป็นผู้เสียหายไว้ในความดูแลชั่วคราว"
LABEL_TH = "ถูกกักตัวไว้เป็นพยาน"
NOTE_TH = "เจ้าหน้าที่อ้างมาตรานี้เพื่อกักตัวไว้ในสถานคุ้มครอง"
OFFICIAL = "มาตรา ๒๙ ในกรณีที่มีเหตุจำเป็นเพื่อประโยชน์ในการแสวงหาข้อเท็จจริง"


@pytest.fixture
def archive():
    law = factories.make_law(
        slug="atipa-2008",
        short_name="ATIPA 2008",
        short_name_th=LAW_TH,
        title_en="Anti-Trafficking in Persons Act, B.E. 2551 (2008)",
        title_th=TITLE_TH,
        summary="Thailand's main anti-trafficking statute.",
    )
    clause = factories.make_clause(
        law,
        slug="s-29",
        number="s. 29",
        heading="Temporary custody of possible victims",
        heading_th=HEADING_TH,
        summary="Officials may hold a person believed to be a victim for a short time.",
        official_text=OFFICIAL,
    )
    violation_type = factories.make_violation_type(label="Held as a witness", label_th=LABEL_TH)
    testimony = factories.make_testimony(title="A year in the shelter")
    TestimonyClause.objects.create(
        testimony=testimony,
        clause=clause,
        relation="invoked",
        note_source="Officials relied on it to hold her in a shelter.",
        note_th_source=NOTE_TH,
    )
    testimony.violations.create(violation_type=violation_type, perpetrator="police")
    return factories.publish_testimony(testimony)


def switch_to_thai(page) -> None:
    page.locator("form.language-switcher button[value=th]").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")


class ThaiReaderTests:
    def test_law_clause_testimony_and_facets_in_thai(self, live_server, page, archive):
        page.goto(f"{live_server.url}/laws/atipa-2008/")
        switch_to_thai(page)
        expect(page.locator("h1 [lang=th]")).to_have_text(TITLE_TH)
        # The summary has no Thai yet: shown in English, and said so.
        summary = page.locator("p.summary")
        expect(summary).to_have_attribute("lang", "en")
        expect(summary.locator("xpath=following-sibling::small[1]")).to_have_text(
            "(ภาษาอังกฤษเท่านั้น)"
        )
        row = page.locator("table.table tbody tr", has_text="s. 29")
        expect(row.locator("[lang=th]")).to_have_text(HEADING_TH)
        screenshot(page, "thai-law")

        row.get_by_role("link", name="s. 29").click()
        expect(page.locator("h1")).to_contain_text(HEADING_TH)
        expect(page.locator("h1")).to_contain_text(LAW_TH)
        # The statute itself, open on the page rather than folded away.
        official = page.locator("section.official-text blockquote[lang=th]")
        expect(official).to_be_visible()
        expect(official).to_contain_text(OFFICIAL)
        expect(page.locator("details.official-text")).to_have_count(0)
        expect(page.locator("ul.links .note[lang=th]")).to_have_text(NOTE_TH)
        screenshot(page, "thai-clause")

        page.locator("ul.links a").first.click()
        expect(page.locator("html")).to_have_attribute("lang", "th")
        law_section = page.locator("section", has=page.locator("#law-heading"))
        expect(law_section.locator("h3 [lang=th]")).to_have_text(LAW_TH)
        expect(law_section.get_by_role("link", name=f"s. 29: {HEADING_TH}")).to_be_visible()
        expect(law_section.locator(".note[lang=th]")).to_have_text(NOTE_TH)
        violations = page.locator("section", has=page.locator("#violations-heading"))
        expect(violations.locator("strong[lang=th]")).to_have_text(LABEL_TH)
        screenshot(page, "thai-testimony")

        page.goto(f"{live_server.url}/testimonies/")
        if page.viewport_size["width"] < 768:
            page.locator(".facet-panel > summary").click()
        expect(page.locator("#facet-violation")).to_contain_text(LABEL_TH)
        expect(page.locator("#facet-law")).to_contain_text(LAW_TH)
        expect(page.locator("#facet-clause")).to_contain_text(f"s. 29: {HEADING_TH}")
        page.get_by_role("checkbox", name=LABEL_TH).check()
        expect(page.locator(".chip", has_text=LABEL_TH)).to_be_visible()
        expect(page.locator("#results-heading")).to_contain_text("1")
        screenshot(page, "thai-facets")

    def test_the_law_list_finds_a_law_by_its_thai_name(self, live_server, page, archive):
        page.goto(f"{live_server.url}/laws/")
        switch_to_thai(page)
        page.locator("#find").fill("ผู้เสียหาย")
        page.locator("form.find-names button").click()
        found = page.locator(".found-clauses a")
        expect(found).to_have_count(1)
        expect(found).to_contain_text(HEADING_TH)
        found.click()
        expect(page.locator("section.official-text")).to_be_visible()

    def test_english_readers_keep_the_official_text_in_a_disclosure(
        self, live_server, page, archive
    ):
        page.goto(f"{live_server.url}/laws/atipa-2008/s-29/")
        details = page.locator("details.official-text")
        expect(details.locator("blockquote[lang=th]")).to_be_hidden()
        details.locator("summary").click()
        expect(details.locator("blockquote[lang=th]")).to_be_visible()
        expect(page.locator(".subtitle[lang=th]")).to_have_text(HEADING_TH)
