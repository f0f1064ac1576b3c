"""Testimonies, raid incidents, rights violations and the links to the law.

One module per concept; everything is re-exported here, so callers keep
importing ``from testimonies.models import Testimony``.
"""

from testimonies.models.base import (
    RENDERED_HELP_TEXT,
    EditVersioned,
    PublishableQuerySet,
    RendersMarkedText,
    Status,
    Vocabulary,
    VocabularyManager,
)
from testimonies.models.consent import Consent, ConsentBasis, ConsentScope
from testimonies.models.incident import Authority, Outcome, RaidIncident
from testimonies.models.ledger import PublicIdCounter, Withdrawal
from testimonies.models.search import (
    FacetChange,
    IndexGeneration,
    SearchDocument,
)
from testimonies.models.testimony import (
    SOURCE_FIELDS,
    Testimony,
    TestimonyVersion,
)
from testimonies.models.violations import (
    ClauseRelation,
    RightsViolation,
    RightsViolationQuerySet,
    TestimonyClause,
    ViolationType,
)

__all__ = [
    "RENDERED_HELP_TEXT",
    "SOURCE_FIELDS",
    "Authority",
    "ClauseRelation",
    "Consent",
    "ConsentBasis",
    "ConsentScope",
    "EditVersioned",
    "FacetChange",
    "IndexGeneration",
    "Outcome",
    "PublicIdCounter",
    "PublishableQuerySet",
    "RaidIncident",
    "RendersMarkedText",
    "RightsViolation",
    "RightsViolationQuerySet",
    "SearchDocument",
    "Status",
    "Testimony",
    "TestimonyClause",
    "TestimonyVersion",
    "ViolationType",
    "Vocabulary",
    "VocabularyManager",
    "Withdrawal",
]
