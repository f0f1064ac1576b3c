import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: rate limits (exports, log-ins) count
    there, and one test's requests must not throttle the next test's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """Django's test client; ``force_login`` passes the admin's second factor too
    (``otp_verified=False`` to log in with the password alone)."""
    return factories.OTPClient()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's fixture of that name, verified for the two-factor admin."""
    client = factories.OTPClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def editor(db):
    return factories.make_user("Editor", username="editor")


@pytest.fixture
def reviewer(db):
    return factories.make_user("Reviewer", username="reviewer")
