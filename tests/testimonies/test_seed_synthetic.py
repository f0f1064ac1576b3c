"""The synthetic corpus command: deterministic, published, indexed, searchable."""

import re
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies.models import SearchDocument, Testimony, TestimonyClause
from testimonies.synthetic import generate, natural
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["natural", "template"])
def test_generation_is_deterministic_for_a_seed(text):
    assert list(generate(5, seed=3, text=text)) == list(generate(5, seed=3, text=text))
    assert list(generate(5, seed=3, text=text)) != list(generate(5, seed=4, text=text))


def test_command_creates_published_indexed_records(capsys):
    factories.make_clause()
    factories.make_violation_type()
    existing = factories.publish_testimony()
    call_command("seed_synthetic", testimonies=40, seed=1)
    public = Testimony.objects.public()
    assert public.count() == 41
    assert SearchDocument.objects.count() == 41
    assert TestimonyClause.objects.count() >= 40
    ids = sorted(public.exclude(pk=existing.pk).values_list("public_id", flat=True))
    assert ids[0] == "T-0002" and ids[-1] == "T-0041"
    assert factories.publish_testimony().public_id == "T-0042"
    assert len(get_engine().match_ids(parse("police"))) >= 30
    assert "40/40" in capsys.readouterr().err


def test_the_template_text_is_still_there():
    factories.make_clause()
    factories.make_violation_type()
    call_command("seed_synthetic", testimonies=20, seed=1, text="template")
    bodies = list(Testimony.objects.values_list("body", flat=True))
    assert len(bodies) == 20
    # Its twenty-odd sentences repeat verbatim: a few hundred distinct words in all.
    assert len({word for body in bodies for word in body.split()}) < 400


def test_generate_only_writes_nothing_and_reports_its_rate():
    out = StringIO()
    call_command("seed_synthetic", testimonies=30, seed=1, generate_only=True, stdout=out)
    assert Testimony.objects.count() == 0
    assert SearchDocument.objects.count() == 0
    assert re.search(
        r"Generated 30 testimonies in [\d.]+ s: \d+ a second; \d+ words", out.getvalue()
    )


def test_natural_text_without_wordfreq_is_refused_with_a_message(monkeypatch):
    # As on a deployment installed from requirements.txt alone.
    natural.english_vocabulary.cache_clear()
    monkeypatch.setitem(sys.modules, "wordfreq", None)
    try:
        with pytest.raises(CommandError, match=re.escape("pip install -r requirements-dev.txt")):
            call_command("seed_synthetic", testimonies=5, seed=1)
        assert Testimony.objects.count() == 0
    finally:
        natural.english_vocabulary.cache_clear()


def test_command_refuses_an_archive_without_laws():
    with pytest.raises(CommandError, match="load_archive"):
        call_command("seed_synthetic", testimonies=5, seed=1)
