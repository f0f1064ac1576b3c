"""Small readers for settings taken from the environment."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, *, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in _TRUE


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# What DRF's throttles parse: a count, a slash, and a period it knows by its first letter.
_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, *, default: str) -> str:
    """A request rate such as "60/minute", refused at start-up if malformed.

    A bad rate would otherwise surface only on the first throttled request, as a 500.
    """
    value = os.environ.get(name, default).strip()
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name} must look like 60/minute (a number, then /second, /minute, /hour or /day);"
            f" got {value!r}."
        )
    return value
