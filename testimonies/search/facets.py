"""The facets of the public search: their names, labels and kinds, and nothing else.

A facet is defined here once. Its values and each testimony's values are read
into arrays by ``columns.py``; the form that validates a selection is built
from these definitions in ``params.py``.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from archive.bilingual import BilingualLabel
from testimonies.vocabulary import AgeGroup, Language, Nationality, Province, WorkSetting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FacetValue:
    code: str
    # Lazy, or English and Thai: the arrays are shared by readers of both languages.
    label: "StrOrPromise | BilingualLabel"
    group: "str | BilingualLabel" = ""


@dataclass(frozen=True)
class FacetDefinition:
    name: str  # the URL parameter
    label: "StrOrPromise"
    many: bool  # a testimony can have several values (violations, clauses, ...)


FACETS: tuple[FacetDefinition, ...] = (
    FacetDefinition("nationality", _("Nationality"), many=False),
    FacetDefinition("age_group", _("Age group"), many=False),
    FacetDefinition("work_setting", _("Work setting"), many=False),
    FacetDefinition("province", _("Province"), many=False),
    FacetDefinition("language", _("Language"), many=False),
    FacetDefinition("violation", _("Violation"), many=True),
    FacetDefinition("law", _("Law"), many=True),
    FacetDefinition("clause", _("Clause"), many=True),
    FacetDefinition("authority", _("Present at the raid"), many=True),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
SINGLE_VALUED_FIELDS = {
    "nationality": Nationality,
    "age_group": AgeGroup,
    "work_setting": WorkSetting,
    "province": Province,
    "language": Language,
}
