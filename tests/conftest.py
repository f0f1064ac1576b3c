import pytest

from tests import factories


@pytest.fixture
def editor(db):
    return factories.make_user("Editor", username="editor")


@pytest.fixture
def reviewer(db):
    return factories.make_user("Reviewer", username="reviewer")
