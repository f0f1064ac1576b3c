"""Dates written the way the reader's language writes them.

Thai dates are written with the Buddhist-era year (CE + 543), so in Thai a
full date or a month reads "17 กุมภาพันธ์ 2555". Bare years of events stay in
the Common Era in both languages: they are also filter values, in URLs, in
the year inputs and on the charts' axes, and one number should not change
meaning with the language.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()

BUDDHIST_ERA_OFFSET = 543


@register.filter
def local_date(value: date | datetime | None, fmt: str = "j F Y") -> str:
    """``fmt`` as for Django's ``date`` filter; in Thai, the year ``Y`` is the Buddhist-era year."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if (get_language() or "").startswith("th"):
        # Digits are not format characters, so the year can be written in directly.
        fmt = fmt.replace("Y", str(value.year + BUDDHIST_ERA_OFFSET))
    return date_format(value, fmt)


@register.filter
def incident_date(incident) -> str:
    """A raid's date to the precision it is known: day, month or year."""
    fmt = {"year": "Y", "month": "F Y"}.get(incident.date_precision, "j F Y")
    return local_date(incident.date, fmt)
