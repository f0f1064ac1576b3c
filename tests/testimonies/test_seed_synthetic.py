"""The synthetic corpus command: deterministic, published, indexed, searchable."""

import pytest
from django.core.management import CommandError, call_command

from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies.models import SearchDocument, Testimony, TestimonyClause
from testimonies.synthetic import generate
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_generation_is_deterministic_for_a_seed():
    assert list(generate(5, seed=3)) == list(generate(5, seed=3))
    assert list(generate(5, seed=3)) != list(generate(5, seed=4))


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


def test_command_refuses_an_archive_without_laws():
    with pytest.raises(CommandError, match="load_archive"):
        call_command("seed_synthetic", testimonies=5, seed=1)
