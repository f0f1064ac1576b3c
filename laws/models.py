"""Laws (instruments) and their clauses (sections, articles, principles)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.bilingual import Bilingual
from laws import identifiers


class LawQuerySet(models.QuerySet["Law"]):
    def public(self) -> "LawQuerySet":
        # Laws are public reference material; the method exists so that every
        # public read goes through one named door, as for testimonies.
        return self.all()

    def get_by_natural_key(self, slug: str) -> "Law":
        return self.get(slug=slug)


LawManager = models.Manager.from_queryset(LawQuerySet)


class Law(Bilingual, models.Model):
    bilingual_fields = {
        "title_en": "title_th",
        "short_name": "short_name_th",
        "summary": "summary_th",
    }

    class Jurisdiction(models.TextChoices):
        THAILAND = "th", _("Thailand")
        INTERNATIONAL = "int", _("International")

    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", _("Constitution")
        ACT = "act", _("Act")
        CODE = "code", _("Code")
        REGULATION = "regulation", _("Regulation")
        TREATY = "treaty", _("Treaty")
        PROTOCOL = "protocol", _("Protocol")
        GUIDELINE = "guideline", _("Guideline (soft law)")

    class Ratification(models.TextChoices):
        NOT_APPLICABLE = "", _("Not applicable (Thai law)")
        RATIFIED = "ratified", _("Ratified")
        ACCEDED = "acceded", _("Acceded")
        SIGNED = "signed", _("Signed, not ratified")
        NOT_PARTY = "not_party", _("Not a party")
        NOT_BINDING = "soft_law", _("Not a treaty (soft law)")

    slug = models.SlugField(
        _("slug"),
        max_length=identifiers.LAW_SLUG_MAX_LENGTH,
        unique=True,
        help_text=_(
            "Stable part of the law's web address, e.g. 'atipa-2008'. "
            "Changing it later keeps the old address working through a redirect."
        ),
    )
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        help_text=_("How the law is cited in short, e.g. 'ATIPA 2008' or 'ICCPR'."),
    )
    short_name_th = models.CharField(
        _("Thai short name"),
        max_length=80,
        blank=True,
        help_text=_(
            "How the law is cited in short in Thai, e.g. 'พ.ร.บ.ค้ามนุษย์ 2551'; "
            "shown to Thai readers in lists and search filters."
        ),
    )
    title_en = models.CharField(
        _("English title"), max_length=300, help_text=_("Full English title.")
    )
    title_th = models.CharField(
        _("Thai title"),
        max_length=300,
        blank=True,
        help_text=_(
            "Full Thai title: as in the official text for Thai law, the name used in Thai "
            "for international instruments. Shown to Thai readers."
        ),
    )
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=3,
        choices=Jurisdiction,
        help_text=_("Thailand for Thai law; International for treaties and guidelines."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, help_text=_("What sort of instrument this is.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("Year of adoption (Common Era), e.g. 2008.")
    )
    year_be = models.PositiveSmallIntegerField(
        _("Buddhist Era year"),
        null=True,
        blank=True,
        help_text=_("Year in the Buddhist Era for Thai laws (CE + 543), e.g. 2551."),
    )
    source_url = models.URLField(
        _("source url"),
        max_length=500,
        blank=True,
        help_text=_("Where a reader can find the official text."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the instrument does, in our own words, for a general reader."),
    )
    summary_th = models.TextField(
        _("Thai summary"),
        blank=True,
        help_text=_(
            "The summary in Thai, for Thai readers; where it is blank they are shown the "
            "English, marked as English only."
        ),
    )
    ratification_status = models.CharField(
        _("Thailand's status"),
        max_length=12,
        choices=Ratification,
        blank=True,
        default=Ratification.NOT_APPLICABLE,
        help_text=_("For international instruments: Thailand's position towards it."),
    )
    ratification_date = models.DateField(
        _("ratification date"),
        null=True,
        blank=True,
        help_text=_("When Thailand ratified or acceded, where known."),
    )
    binding_in_2012 = models.BooleanField(
        _("binding in 2012"),
        default=True,
        help_text=_(
            "Untick for instruments that did not bind Thailand in 2011-2012, "
            "when the testimonies were collected (e.g. the Palermo Protocol, ratified 2013)."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list of laws; lower comes first.")
    )

    history = HistoricalRecords()
    objects = LawManager()

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["order", "short_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jurisdiction__in=["th", "int"]), name="law_jurisdiction_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "constitution",
                        "act",
                        "code",
                        "regulation",
                        "treaty",
                        "protocol",
                        "guideline",
                    ]
                ),
                name="law_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    ratification_status__in=[
                        "",
                        "ratified",
                        "acceded",
                        "signed",
                        "not_party",
                        "soft_law",
                    ]
                ),
                name="law_ratification_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "order"], name="law_jurisdiction_idx")]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        # Here rather than in the admin: a slug can change through the law
        # form, a shell or a script, and every path must keep old links alive.
        # (QuerySet.update() bypasses this; do not rename slugs that way.)
        old_slug = _stored_slug(self)
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            LawSlugHistory.objects.update_or_create(slug=old_slug, defaults={"law": self})

    def get_absolute_url(self) -> str:
        return reverse("laws:law_detail", kwargs={"law_slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


def _stored_slug(instance: models.Model) -> str | None:
    """The slug as last saved, or None for a new row."""
    if instance.pk is None:
        return None
    return (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("slug", flat=True)
        .first()
    )


class ClauseQuerySet(models.QuerySet["Clause"]):
    def public(self) -> "ClauseQuerySet":
        return self.select_related("law")

    def get_by_natural_key(self, law_slug: str, slug: str) -> "Clause":
        return self.get(law__slug=law_slug, slug=slug)


ClauseManager = models.Manager.from_queryset(ClauseQuerySet)


class Clause(Bilingual, models.Model):
    bilingual_fields = {"heading": "heading_th", "summary": "summary_th"}

    law = models.ForeignKey(
        Law,
        verbose_name=_("law"),
        on_delete=models.PROTECT,
        related_name="clauses",
        help_text=_("The instrument this section or article belongs to."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=identifiers.CLAUSE_SLUG_MAX_LENGTH,
        help_text=_(
            "Stable part of the clause's address within its law, e.g. 's-29' or 'art-9-1'. "
            "Changing it later keeps the old address working through a redirect."
        ),
    )
    number = models.CharField(
        _("number"),
        max_length=40,
        help_text=_(
            "The number as it is cited, e.g. 's. 29', 's. 27(2)', 'Art. 9(1)', 'Principle 7'."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The enclosing section or article, for a sub-clause such as s. 27(2)."),
    )
    heading = models.CharField(
        _("heading"), max_length=200, help_text=_("A few words naming what the clause is about.")
    )
    heading_th = models.CharField(
        _("Thai heading"),
        max_length=200,
        blank=True,
        help_text=_(
            "The heading in Thai: the statute's own Thai wording where it gives one, "
            "otherwise a faithful short title."
        ),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the clause says, in our own words. Never paste a translation."),
    )
    summary_th = models.TextField(
        _("Thai summary"),
        blank=True,
        help_text=_(
            "What the clause says, in our own words in Thai; where it is blank Thai readers "
            "are shown the English, marked as English only."
        ),
    )
    official_text = models.TextField(
        _("official text"),
        blank=True,
        help_text=_(
            "The official text of the clause where we have it "
            "(Thai statutes are in the public domain)."
        ),
    )
    official_text_source = models.CharField(
        _("official text source"),
        max_length=300,
        blank=True,
        help_text=_("Where the official text was taken from."),
    )
    order = models.PositiveIntegerField(
        _("order"),
        default=0,
        help_text=_("Position within the law's table of contents; lower comes first."),
    )

    history = HistoricalRecords()
    objects = ClauseManager()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["law__order", "law__short_name", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["law", "slug"], name="clause_slug_unique_per_law"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="clause_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["law", "order"], name="clause_law_order_idx")]

    def __str__(self) -> str:
        return f"{self.citation}: {self.heading}"

    def save(self, *args, **kwargs) -> None:
        # Also reached from the law admin's clause inline, which is why the
        # check lives on the model rather than in ClauseAdmin.
        old = (
            Clause.objects.filter(pk=self.pk).values("slug", "law_id").first() if self.pk else None
        )
        super().save(*args, **kwargs)
        if old and old["slug"] != self.slug and old["law_id"] == self.law_id:
            ClauseSlugHistory.objects.update_or_create(
                law_id=self.law_id, slug=old["slug"], defaults={"clause": self}
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "laws:clause_detail", kwargs={"law_slug": self.law.slug, "clause_slug": self.slug}
        )

    def natural_key(self) -> tuple[str, str]:
        return (self.law.slug, self.slug)

    # Django's serialisers read this attribute of the method, which the type stubs don't know.
    natural_key.dependencies = ["laws.law"]  # type: ignore[attr-defined]

    @property
    def citation(self) -> str:
        return identifiers.citation(self.law.short_name, self.number)


class LawSlugHistory(models.Model):
    """A slug a law used to have: /laws/<old>/ answers 301 to its address today.

    Rows are written by ``Law.save()`` when the slug changes, and kept
    forever, because printed citations never update.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=identifiers.LAW_SLUG_MAX_LENGTH,
        unique=True,
        help_text=_("The former slug. A law that takes this slug again overrides the redirect."),
    )
    law = models.ForeignKey(
        Law,
        verbose_name=_("law"),
        on_delete=models.CASCADE,
        related_name="old_slugs",
        help_text=_("The law the old address now leads to."),
    )
    changed_at = models.DateTimeField(
        _("changed at"), auto_now_add=True, help_text=_("When the slug was replaced.")
    )

    class Meta:
        verbose_name = _("former law slug")
        verbose_name_plural = _("former law slugs")
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"/laws/{self.slug}/ → {self.law.slug}"


class ClauseSlugHistory(models.Model):
    """A slug a clause used to have within its law; /laws/<law>/<old>/ answers 301."""

    law = models.ForeignKey(
        Law,
        verbose_name=_("law"),
        on_delete=models.CASCADE,
        related_name="old_clause_slugs",
        help_text=_("The law the clause belongs to; old slugs are unique within a law."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=identifiers.CLAUSE_SLUG_MAX_LENGTH,
        help_text=_("The former slug of the clause."),
    )
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        on_delete=models.CASCADE,
        related_name="old_slugs",
        help_text=_("The clause the old address now leads to."),
    )
    changed_at = models.DateTimeField(
        _("changed at"), auto_now_add=True, help_text=_("When the slug was replaced.")
    )

    class Meta:
        verbose_name = _("former clause slug")
        verbose_name_plural = _("former clause slugs")
        ordering = ["law", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["law", "slug"], name="clause_old_slug_unique_per_law")
        ]

    def __str__(self) -> str:
        return f"{self.law.slug}/{self.slug}/ → {self.clause.slug}"


# The versions of clauses live in their own module (one concept, one room);
# imported here so that Django registers them with this app.
from laws.proposal_models import ReferenceChange  # noqa: E402
from laws.version_models import Amendment, ClauseVersion, InForcePrecision  # noqa: E402

__all__ = [
    "Amendment",
    "Clause",
    "ClauseSlugHistory",
    "ClauseVersion",
    "InForcePrecision",
    "Law",
    "LawSlugHistory",
    "ReferenceChange",
]
