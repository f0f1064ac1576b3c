"""Every public URL pattern, found by walking the resolver.

Tests that must cover every public page (hostile input, the privacy walk)
start here, so a page, feed or API added later is covered without touching
them.
"""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# Namespaces behind a log-in: only their log-in page is public.
PRIVATE_NAMESPACES = {"admin"}
# Form targets answer a GET with a redirect rather than a page: they show no record.
FORM_TARGETS = {"set_language": "/i18n/setlang/"}


def walk(
    resolver: URLResolver | None = None, namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], URLPattern]]:
    """(namespaces, pattern) of every pattern outside the private namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in PRIVATE_NAMESPACES:
                continue
            namespace = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            yield namespaces, pattern


def parameters(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def full_name(namespaces: tuple[str, ...], pattern: URLPattern) -> str | None:
    """The name to reverse, or None for an unnamed pattern."""
    if pattern.name is None:
        return None
    return ":".join((*namespaces, pattern.name))
