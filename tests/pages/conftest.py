import pytest

from pages.services import pages_seed


@pytest.fixture
def seeded_pages(db) -> list[str]:
    """The pages as a fresh archive has them, from the seed texts."""
    return pages_seed()
