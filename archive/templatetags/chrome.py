"""The site's header and footer, rendered once per language rather than on every page.

base.html's chrome is the same on every page for a language: links to the
site's sections and pages, their labels, the language buttons. Rendered on
each request it cost a permalink some 4,000 Python calls (a ``translate`` or
``url`` tag is about a hundred each), more than the record's own text.

``{% prepared %}...{% endprepared %}`` renders what it encloses once per
language, URL configuration and script prefix (everything a ``translate``,
``url`` or ``static`` tag inside depends on), and then repeats the text. What
it encloses sees an empty context: no request, no user, no CSRF token, no
page's variables. Anything that varies per request or per page must stay
outside the tag (the language switcher's ``next``, in its own block, does),
and a variable put inside by mistake renders empty on the first request too,
where a test sees it, rather than one reader's value shown to the next.
Nothing about the archive's records is kept.
"""

from weakref import WeakSet

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Node, NodeList, Parser, Token
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Every node made, so a settings change (tests change LANGUAGES, STATIC_URL or
# the URL configuration) forgets what they rendered.
_NODES: "WeakSet[PreparedNode]" = WeakSet()


class PreparedNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str | None, str, str | None], SafeString] = {}
        _NODES.add(self)

    def render(self, context: template.Context) -> SafeString:
        urlconf = get_urlconf()
        key = (get_language(), get_script_prefix(), urlconf if isinstance(urlconf, str) else None)
        text = self.rendered.get(key)
        if text is None:
            empty = template.Context(autoescape=context.autoescape)
            empty.template = context.template
            text = mark_safe(self.nodelist.render(empty))  # rendered by the template engine
            if urlconf is None or isinstance(urlconf, str):
                self.rendered[key] = text
        return text


@register.tag
def prepared(parser: Parser, token: Token) -> PreparedNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% prepared %} takes no arguments")
    nodelist = parser.parse(("endprepared",))
    parser.delete_first_token()
    return PreparedNode(nodelist)


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs: object) -> None:
    for node in _NODES:
        node.rendered.clear()
