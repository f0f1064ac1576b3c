"""How laws and clauses are named: slugs, clause codes and citations. Pure functions.

A law is known by its slug (``atipa-2008``), a clause by its slug within its
law (``s-29``); together they make the clause's code, ``atipa-2008:s-29``,
the value of the ``clause`` facet in search URLs, the API and the CSV. A
citation is what a reader writes: ``ATIPA 2008, s. 29``. Nothing here reads
the database.
"""

import re

# The slug rules: what Django's ``<slug:...>`` path converter and SlugField accept.
# Slugs are kept forever once published (old ones redirect), so they are short and
# plain: ASCII letters, digits, hyphens and underscores.
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
LAW_SLUG_MAX_LENGTH = 80
CLAUSE_SLUG_MAX_LENGTH = 60
CLAUSE_CODE_SEPARATOR = ":"

_SLUG = re.compile(rf"\A{SLUG_PATTERN}\Z")


def is_slug(value: str) -> bool:
    """Whether ``value`` obeys the slug rules (any length; the fields cap it)."""
    return bool(_SLUG.match(value))


def clause_code(law_slug: str, clause_slug: str) -> str:
    """The code of a clause: its law's slug and its own, e.g. ``atipa-2008:s-29``."""
    return f"{law_slug}{CLAUSE_CODE_SEPARATOR}{clause_slug}"


def parse_clause_code(code: str) -> tuple[str, str]:
    """The law slug and clause slug of a clause code; ValueError if it is not one."""
    law_slug, separator, clause_slug = code.partition(CLAUSE_CODE_SEPARATOR)
    if not separator or not is_slug(law_slug) or not is_slug(clause_slug):
        raise ValueError(f"Not a clause code: {code!r}")
    return law_slug, clause_slug


def citation(law_short_name: str, number: str) -> str:
    """How a clause is cited: ``citation("ATIPA 2008", "s. 29")`` is ``ATIPA 2008, s. 29``."""
    return f"{law_short_name}, {number}"
