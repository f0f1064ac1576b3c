"""Template helpers for the metadata in a record page's <head>."""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same escapes as Django's json_script: with <, > and & as \u escapes, an
# editor's title containing "</script>" cannot end the block early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: dict[str, Any]) -> SafeString:
    """Render schema.org data as <script type="application/ld+json">.

    Django's json_script always writes type="application/json", which search
    engines do not read as linked data; this differs only in the type.
    """
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(_JSON_SCRIPT_ESCAPES)),  # escaped just above
    )
