import pytest
from django.core.cache import caches

from tests.support import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with empty caches: rate limits (exports, log-ins) count
    there, and one test's requests must not throttle the next test's or be
    answered from a page it left behind."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def withdrawal_ledger(settings, tmp_path):
    """Each test writes its own ledger file, never the one under var/."""
    settings.ARCHIVE_WITHDRAWAL_LEDGER = str(tmp_path / "withdrawals.jsonl")
    return tmp_path / "withdrawals.jsonl"


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path):
    """Each test keeps its dataset releases in its own folder, never under var/
    (a withdrawal amends whatever releases are there)."""
    settings.ARCHIVE_RELEASES_DIR = str(tmp_path / "releases")
    return tmp_path / "releases"


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


@pytest.fixture(scope="session")
def scratch_databases(tmp_path_factory):
    """Databases other processes can open (see tests/support/scratch.py); built on first use."""
    from tests.support.scratch import ScratchDatabases

    databases = ScratchDatabases(tmp_path_factory.mktemp("scratch"))
    try:
        databases.build_template()
        yield databases
    finally:
        databases.drop_all()
