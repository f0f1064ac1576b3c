"""Thai and English: translated pages, the switcher, dates, testimonies beside translations."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from lxml import html

from testimonies.models import Testimony
from tests.support import factories

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"


def in_thai(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


def tree(response):
    return html.fromstring(response.content)


class LanguageChoiceTests:
    def test_english_by_default(self, client):
        factories.publish_testimony()
        page = tree(client.get("/testimonies/"))
        assert page.get("lang") == "en"
        assert page.cssselect(".skip-link")[0].text == "Skip to content"

    def test_thai_from_the_cookie(self, client):
        factories.publish_testimony(nationality="burmese")
        page = tree(in_thai(client).get("/testimonies/"))
        assert page.get("lang") == "th"
        assert page.cssselect(".skip-link")[0].text == "ข้ามไปยังเนื้อหา"
        assert page.cssselect("label[for=q]")[0].text == "ค้นหาคำให้การ"
        assert page.cssselect("#facet-nationality legend")[0].text == "สัญชาติ"
        # Vocabulary labels are translated too, and so is the result count.
        assert "พม่า" in page.cssselect("#facet-nationality")[0].text_content()
        heading = page.cssselect("#results-heading")[0].text_content()
        assert heading == "คำให้การ 1 รายการ แสดงรายการที่ 1\N{EN DASH}1"

    def test_thai_from_the_browser_language(self, client):
        response = client.get("/", headers={"accept-language": "th-TH,th;q=0.9,en;q=0.5"})
        assert tree(response).get("lang") == "th"
        # Shared caches must keep one copy per language: header and switcher cookie.
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary

    def test_error_messages_are_translated(self, client):
        response = in_thai(client).get("/testimonies/", {"year_from": 2012, "year_to": 2010})
        assert response.status_code == 400
        assert "ปีเริ่มต้นต้องไม่อยู่หลังปีสุดท้าย" in response.content.decode()

    def test_no_language_prefix_in_addresses(self, client):
        testimony = factories.publish_testimony()
        assert testimony.get_absolute_url() == f"/testimonies/{testimony.public_id}/"
        assert in_thai(client).get(testimony.get_absolute_url()).status_code == 200
        assert client.get(f"/th{testimony.get_absolute_url()}").status_code == 404


class SwitcherTests:
    def test_the_form_sends_the_reader_back_to_this_page_and_query(self, client):
        factories.publish_testimony()
        url = "/testimonies/?q=shelter&nationality=burmese&sort=newest"
        form = tree(client.get(url)).cssselect("form.language-switcher")[0]
        assert form.get("action") == reverse("set_language")
        assert form.cssselect("input[name=next]")[0].get("value") == url
        button = form.cssselect("button[name=language]")[0]
        assert (button.get("value"), button.get("lang"), button.text) == ("th", "th", "ภาษาไทย")
        # Nothing per reader in the page: two renders are the same bytes.
        assert client.get(url).content == client.get(url).content

    def test_switching_keeps_the_url_and_query_string(self):
        factories.publish_testimony(nationality="burmese")
        url = "/testimonies/?q=&nationality=burmese&sort=newest"
        # As a browser sends it: no CSRF token is needed to change the display language.
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("set_language"), {"language": "th", "next": url})
        assert response.status_code == 302
        assert response["Location"] == url
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
        page = tree(client.get(response["Location"]))
        assert page.get("lang") == "th"
        assert "สัญชาติ: พม่า" in page.cssselect(".chips")[0].text_content()

    def test_next_cannot_leave_the_site(self, client):
        response = client.post(
            reverse("set_language"), {"language": "th", "next": "https://elsewhere.example/"}
        )
        assert "elsewhere.example" not in response.get("Location", "")


class DatesTests:
    def test_thai_dates_use_the_buddhist_era_years_of_events_do_not(self, client):
        testimony = factories.publish_testimony(year_of_events=2011)
        Testimony.objects.filter(pk=testimony.pk).update(date_recorded="2012-02-17")
        english = client.get(testimony.get_absolute_url()).content.decode()
        assert "February 2012" in english
        thai = in_thai(client).get(testimony.get_absolute_url()).content.decode()
        assert "กุมภาพันธ์ 2555" in thai
        facts = tree(in_thai(client).get(testimony.get_absolute_url())).cssselect("dl.facts")[0]
        when = facts.xpath("dt[.='ปีที่เกิดเหตุ (ค.ศ.)']/following-sibling::dd[1]")[0]
        assert when.text == "2011"

    def test_charts_speak_thai(self, client):
        factories.publish_testimony(province="tak", year_of_events=2010)
        page = tree(in_thai(client).get("/testimonies/"))
        captions = [c.text for c in page.cssselect("figure.chart figcaption")]
        assert captions == ["คำให้การและการบุกค้นรายปี", "คำให้การรายจังหวัด"]
        table = page.cssselect("figure.bar-chart details tbody th")
        assert [th.text for th in table] == ["ตาก"]


class TestimonyLanguageTests:
    def test_the_text_carries_its_own_language(self, client):
        testimony = factories.publish_testimony(
            language="th", title="ชื่อเรื่องทดสอบ", body="ย่อหน้าแรก\n\nย่อหน้าที่สอง"
        )
        page = tree(client.get(testimony.get_absolute_url()))
        assert page.get("lang") == "en"
        assert page.cssselect("h1")[0].get("lang") == "th"
        assert page.cssselect("div.body")[0].get("lang") == "th"
        listing = tree(client.get("/testimonies/"))
        assert listing.cssselect("article.hit h3")[0].get("lang") == "th"


@pytest.fixture
def pair():
    original = factories.publish_testimony(language="th", title="ต้นฉบับ", body="หนึ่ง\n\nสอง\n\nสาม")
    translation = factories.make_testimony(
        language="en", title="The translation", body="One\n\nTwo\n\nThree", translation_of=original
    )
    return original, translation


class SideBySideTests:
    def test_both_texts_paragraph_by_paragraph_with_shared_anchors(self, client, pair):
        original, translation = pair
        translation = factories.publish_testimony(translation)
        for record, mine, theirs in (
            (original, ("th", "หนึ่ง"), ("en", "One")),
            (translation, ("en", "One"), ("th", "หนึ่ง")),
        ):
            page = tree(client.get(record.get_absolute_url()))
            rows = page.cssselect(".parallel .para-row")
            assert [row.get("id") for row in rows] == ["p1", "p2", "p3"]
            first = rows[0].cssselect("p")
            assert (first[0].get("lang"), first[1].get("lang")) == (mine[0], theirs[0])
            assert mine[1] in first[0].text_content()
            assert theirs[1] in first[1].text_content()
            other = translation if record == original else original
            links = [a.get("href") for a in page.cssselect("dl.facts a")]
            assert other.get_absolute_url() in links

    def test_an_unpublished_translation_is_never_shown(self, client, pair):
        original, _draft = pair  # the translation is still a draft
        page = client.get(original.get_absolute_url()).content.decode()
        assert "The translation" not in page and "Three" not in page
        assert not tree(client.get(original.get_absolute_url())).cssselect(".parallel")


def po_entries(path: Path) -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) -> msgstr values, read from a .po file."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                fields[key] = ""
                line = match.group(2)
            fields[key] += line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode()
        if fields.get("msgid"):
            values = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[(fields.get("msgctxt"), fields["msgid"])] = values
    return entries


class EditorPagesTests:
    """The editors' pages speak Thai too, from the same cookie as the public pages."""

    def test_the_import_page(self, client, editor):
        client.force_login(editor)
        response = in_thai(client).get(reverse("admin:testimonies_testimony_import"))
        # Decoded first: the admin's page names its charset only in the header.
        page = html.fromstring(response.text)
        assert page.get("lang") == "th"
        help_text = page.cssselect(".import-help")[0].text_content()
        assert "ทุกแถวที่นำเข้าจะกลายเป็นฉบับร่าง" in help_text
        assert "Every imported row" not in help_text

    def test_the_withdraw_confirmation_page(self, client, reviewer):
        testimony = factories.publish_testimony()
        client.force_login(reviewer)
        response = in_thai(client).post(
            reverse("admin:testimonies_testimony_changelist"),
            {"action": "withdraw", ACTION_CHECKBOX_NAME: [testimony.pk]},
        )
        assert response.status_code == 200
        # Decoded first: the admin's page names its charset only in the header.
        page = html.fromstring(response.content.decode("utf-8"))
        assert page.get("lang") == "th"
        explanation = " ".join(page.cssselect("#content p")[0].text_content().split())
        assert "ไม่สามารถย้อนกลับได้" in explanation
        assert "cannot be undone" not in explanation
        button = page.cssselect("#content input[type=submit]")[0]
        assert button.get("value") == "ใช่ ถอนและลบข้อความ"
        testimony.refresh_from_db()
        assert testimony.status == "published"

    def test_the_lockout_page(self, client, editor, settings):
        settings.AXES_FAILURE_LIMIT = 1
        in_thai(client)
        login = "/admin/login/?next=/admin/"
        client.post(login, {"username": editor.username, "password": "wrong"})
        response = client.post(login, {"username": editor.username, "password": "wrong"})
        assert response.status_code == 429
        page = tree(response)
        assert page.get("lang") == "th"
        assert page.cssselect("h1")[0].text == "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป"
        notice = " ".join(page.cssselect(".notice")[0].text_content().split())
        assert notice == "การเข้าสู่ระบบจากที่นี่ถูกระงับไว้ 15 นาที โปรดลองใหม่หลังจากนั้น"


class CatalogueTests:
    def test_every_string_is_translated_and_the_compiled_catalogue_matches(self):
        entries = po_entries(LOCALE / "django.po")
        assert len(entries) > 250
        untranslated = [key for key, values in entries.items() if not all(values)]
        assert not untranslated
        with (LOCALE / "django.mo").open("rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        for (context, msgid), values in entries.items():
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert got == values[0], f"django.mo is stale for {msgid!r}: run make"

    def test_placeholders_survive_translation(self):
        for (_context, msgid), values in po_entries(LOCALE / "django.po").items():
            wanted = sorted(re.findall(r"%\(\w+\)s", msgid))
            for value in values:
                assert sorted(re.findall(r"%\(\w+\)s", value)) == wanted, msgid
