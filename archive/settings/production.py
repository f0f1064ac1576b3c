"""Production: the base settings with HTTPS hardening switched on."""

from archive.settings.base import *  # noqa: F403
from archive.settings.env import env_bool, env_str

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", default="31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Whatever the environment says, the admin asks for a one-time code.
ADMIN_REQUIRE_2FA = True
LANGUAGE_COOKIE_SECURE = True
