"""Production: the base settings with HTTPS hardening switched on."""

from django.core.exceptions import ImproperlyConfigured

from archive.settings.base import *  # noqa: F403
from archive.settings.base import DEVELOPMENT_SECRET_KEY
from archive.settings.env import env_bool, env_str

# A DJANGO_DEBUG=1 left in the environment makes the base settings fall back on the
# development key, which anyone can read; DEBUG is forced off below, so nothing
# else would show that sessions and signed tokens are forgeable.
if env_str("SECRET_KEY", default="") in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "Production needs its own SECRET_KEY: set it in the environment to a long random"
        " value (DJANGO_DEBUG=1 does not supply one in production)."
    )
DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# A request is HTTPS when the proxy says so in X-Forwarded-Proto (deploy/nginx.conf
# sets it on every request). Turn off (TRUST_X_FORWARDED_PROTO=0) when no proxy
# stands in front, or any reader could claim HTTPS for a plain connection.
if env_bool("TRUST_X_FORWARDED_PROTO", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", default="31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Whatever the environment says, the admin asks for a one-time code.
ADMIN_REQUIRE_2FA = True
LANGUAGE_COOKIE_SECURE = True
