"""Settings for the test suite: the base settings, with test-only speed-ups."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment")

from archive.settings.base import *  # noqa: F403

# Hashing passwords slowly protects real accounts; test accounts need no protection.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True

# Commands the tests run in other processes (restore, withdraw) touch dataset
# releases; unless a test names a folder, they look in an empty one outside var/.
ARCHIVE_RELEASES_DIR = os.environ.get(
    "ARCHIVE_RELEASES_DIR", os.path.join(tempfile.gettempdir(), "archive-test-releases")
)
