"""A law's amendments and its clauses' versions: the law as it stood on a given day.

A clause's text changes when an instrument amends it (an amending act, an
emergency decree, a court ruling striking it down). Each change is a
``ClauseVersion`` naming the ``Amendment`` that made it and the day it came
into force; a version runs until the next one begins, or until the day it was
repealed without replacement. The first version of every clause names the
law "as enacted". Which version applies on a date is read in
``laws/versions.py``; these classes only hold the facts editors curate.

Imported at the foot of ``laws/models.py`` so that Django registers them with
the laws app.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.bilingual import Bilingual
from laws import identifiers
from laws.models import Clause, Law


class InForcePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class AmendmentQuerySet(models.QuerySet["Amendment"]):
    def get_by_natural_key(self, law_slug: str, slug: str) -> "Amendment":
        return self.get(law__slug=law_slug, slug=slug)


class Amendment(Bilingual, models.Model):
    """An instrument that made or changed a law's text, with the day it came into force."""

    bilingual_fields = {"name": "name_th"}

    class Kind(models.TextChoices):
        ENACTMENT = "enactment", _("As enacted")
        AMENDING_ACT = "act", _("Amending act")
        DECREE = "decree", _("Emergency decree or royal ordinance")
        RULING = "ruling", _("Court ruling")
        TREATY_ACT = "treaty", _("Treaty act")

    law = models.ForeignKey(
        Law,
        verbose_name=_("law"),
        on_delete=models.PROTECT,
        related_name="amendments",
        help_text=_("The law this instrument enacted or amended."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=identifiers.CLAUSE_SLUG_MAX_LENGTH,
        help_text=_("Stable name within the law, e.g. 'as-enacted' or 'no-14-1997'."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind,
        help_text=_("'As enacted' for the law's first text; otherwise what kind of instrument."),
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_(
            "The instrument's name in English, e.g. 'Penal Code Amendment Act (No. 14) "
            "B.E. 2540 (1997)'."
        ),
    )
    name_th = models.CharField(
        _("Thai name"),
        max_length=300,
        blank=True,
        help_text=_("The instrument's name as the Thai official text gives it."),
    )
    gazette_reference = models.CharField(
        _("gazette reference"),
        max_length=300,
        blank=True,
        help_text=_(
            "Where it was published: the Royal Gazette volume, part, page and date for "
            "Thai law, or the treaty act (signature, ratification). Blank if not verified."
        ),
    )
    in_force_from = models.DateField(
        _("in force from"),
        help_text=_(
            "The day it came into force. If only the month or year is known, give the first "
            "day and set the precision."
        ),
    )
    in_force_precision = models.CharField(
        _("precision"),
        max_length=5,
        choices=InForcePrecision,
        default=InForcePrecision.DAY,
        help_text=_("How much of the date of entry into force is known."),
    )
    source_url = models.URLField(
        _("source url"),
        max_length=500,
        blank=True,
        help_text=_("Where a reader can check the instrument."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("What it changed, in our own words, and how the facts were verified."),
    )

    history = HistoricalRecords()
    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["law", "in_force_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["law", "slug"], name="amendment_slug_unique_per_law"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["enactment", "act", "decree", "ruling", "treaty"]),
                name="amendment_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(in_force_precision__in=["day", "month", "year"]),
                name="amendment_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law.short_name}: {self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.law.slug, self.slug)

    natural_key.dependencies = ["laws.law"]  # type: ignore[attr-defined]


class ClauseVersionQuerySet(models.QuerySet["ClauseVersion"]):
    def get_by_natural_key(
        self, law_slug: str, clause_slug: str, valid_from: str
    ) -> "ClauseVersion":
        return self.get(
            clause__law__slug=law_slug,
            clause__slug=clause_slug,
            valid_from=date.fromisoformat(valid_from),
        )


class ClauseVersion(Bilingual, models.Model):
    """A clause's text as one instrument made it, from the day it came into force."""

    bilingual_fields = {"summary": "summary_th"}

    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        on_delete=models.CASCADE,
        related_name="versions",
        help_text=_("The clause this is a version of."),
    )
    amendment = models.ForeignKey(
        Amendment,
        verbose_name=_("amending instrument"),
        on_delete=models.PROTECT,
        related_name="clause_versions",
        help_text=_("The instrument that gave the clause this text ('as enacted' for the first)."),
    )
    valid_from = models.DateField(
        _("valid from"),
        help_text=_(
            "The first day this text was in force; usually the instrument's entry into force."
        ),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "The first day it no longer applied, only when it was repealed or struck down "
            "without a replacement. Leave blank when a later version replaced it, or it is "
            "in force today."
        ),
    )
    wording_known = models.BooleanField(
        _("wording known"),
        default=True,
        help_text=_(
            "Untick when the archive does not hold this version's wording: its pages then say "
            "so plainly. Never fill a gap with a guess."
        ),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What this version says, in our own words. Never paste a translation."),
    )
    summary_th = models.TextField(
        _("Thai summary"),
        blank=True,
        help_text=_("The summary in Thai; where blank, Thai readers see the English, marked."),
    )
    official_text = models.TextField(
        _("official text"),
        blank=True,
        help_text=_("The official text of this version, where we have it."),
    )
    official_text_source = models.CharField(
        _("official text source"),
        max_length=300,
        blank=True,
        help_text=_("Where the official text was taken from."),
    )

    history = HistoricalRecords()
    objects = ClauseVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("clause version")
        verbose_name_plural = _("clause versions")
        ordering = ["clause", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "valid_from"], name="clause_version_start_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="clause_version_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.citation} from {self.valid_from:%Y-%m-%d}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.clause.law.slug, self.clause.slug, self.valid_from.isoformat())

    natural_key.dependencies = ["laws.clause", "laws.amendment"]  # type: ignore[attr-defined]
