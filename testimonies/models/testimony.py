"""A testimony and the versions of its public text kept at each publication.

Privacy is part of the model: narrators appear only under a pseudonym with
coarse attributes, and public code reads records only through ``public()``.
"""

from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from laws.models import Clause
from testimonies import redaction
from testimonies.models.base import (
    RENDERED_HELP_TEXT,
    EditVersioned,
    PublishableQuerySet,
    RendersMarkedText,
    Status,
)
from testimonies.models.consent import Consent, ConsentScope
from testimonies.vocabulary import (
    AgeGroup,
    Language,
    Nationality,
    Province,
    WorkSetting,
    choice_values,
)

# A testimony's public fields and the editors' marked-up fields they are rendered from.
SOURCE_FIELDS = {
    "title": "title_source",
    "summary": "summary_source",
    "body": "body_source",
    "content_note": "content_note_source",
    "source": "source_source",
    "correction_note": "correction_note_source",
}


class Testimony(RendersMarkedText, EditVersioned):
    source_fields = SOURCE_FIELDS
    excerpt_fields = frozenset({"body"})

    public_id = models.CharField(
        _("public id"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Given at first publication (T-0001, T-0002, ...) and never changed or reused."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        editable=False,
        help_text=_("Changed only by the actions 'Send to review', 'Publish' and 'Withdraw'."),
    )
    title_source = models.CharField(
        _("title"),
        max_length=200,
        help_text=format_lazy(
            "{} {}",
            _("A short descriptive title. Never a real name or an exact venue."),
            redaction.HELP_TEXT,
        ),
    )
    title = models.CharField(
        _("public title"),
        max_length=300,
        editable=False,
        help_text=_("Rendered from the title on every save: redactions applied."),
    )
    narrator_pseudonym = models.CharField(
        _("narrator pseudonym"),
        max_length=80,
        help_text=_("The name the narrator is cited under. Never the narrator's real name."),
    )
    nationality = models.CharField(
        _("nationality"),
        max_length=12,
        choices=Nationality,
        help_text=_("The narrator's nationality, as they state it."),
    )
    age_group = models.CharField(
        _("age group"),
        max_length=8,
        choices=AgeGroup,
        default=AgeGroup.UNKNOWN,
        help_text=_("The narrator's age group at the time of the events, kept coarse on purpose."),
    )
    work_setting = models.CharField(
        _("work setting"),
        max_length=14,
        choices=WorkSetting,
        help_text=_("Where the narrator worked when the events happened."),
    )
    province = models.CharField(
        _("province"),
        max_length=24,
        choices=Province,
        help_text=_("Province where the events mainly took place."),
    )
    year_of_events = models.PositiveSmallIntegerField(
        _("year of events"), help_text=_("Year (CE) in which the events mainly took place.")
    )
    date_recorded = models.DateField(
        _("date recorded"),
        null=True,
        blank=True,
        help_text=_("When the testimony was recorded or written down."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_("Language of the text."),
    )
    summary_source = models.TextField(
        _("summary"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _(
                "Two or three sentences for search results and feeds, in our words; "
                "published in full even when consent covers excerpts only."
            ),
            redaction.HELP_TEXT,
        ),
    )
    summary = models.TextField(
        _("public summary"),
        blank=True,
        editable=False,
        help_text=_("Rendered from the summary on every save: redactions applied."),
    )
    body_source = models.TextField(
        _("body"),
        help_text=format_lazy(
            "{} {} {}", _("The testimony."), redaction.HELP_TEXT, redaction.PARAGRAPHS_HELP_TEXT
        ),
    )
    body = models.TextField(
        _("public body"),
        editable=False,
        help_text=_(
            "Rendered from the body on every save: redactions applied and, when consent "
            "covers excerpts only, the excerpt paragraphs alone."
        ),
    )
    correction_note_source = models.CharField(
        _("correction note"),
        max_length=300,
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _(
                "When correcting a published testimony: a short public note on what changed "
                "(e.g. 'Date of raid corrected'). It is shown with the new version."
            ),
            redaction.HELP_TEXT,
        ),
    )
    # Rendered text is half as long again as its source at most: the shortest
    # marker, [[date:1]], is 10 characters and renders as 15.
    correction_note = models.CharField(
        _("public correction note"),
        max_length=450,
        blank=True,
        editable=False,
        help_text=RENDERED_HELP_TEXT,
    )
    content_note_source = models.CharField(
        _("content note"),
        max_length=300,
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _(
                "Shown before the text when it describes distressing events, "
                "e.g. 'Describes detention and a forced medical examination.'"
            ),
            redaction.HELP_TEXT,
        ),
    )
    content_note = models.CharField(
        _("public content note"),
        max_length=450,
        blank=True,
        editable=False,
        help_text=RENDERED_HELP_TEXT,
    )
    source_source = models.CharField(
        _("source"),
        max_length=300,
        help_text=format_lazy(
            "{} {}",
            _(
                "Where this comes from: report chapter and page, interview, or "
                "'Illustrative sample written for demonstration'."
            ),
            redaction.HELP_TEXT,
        ),
    )
    source = models.CharField(
        _("public source"), max_length=450, editable=False, help_text=RENDERED_HELP_TEXT
    )
    is_sample = models.BooleanField(
        _("is sample"),
        default=False,
        help_text=_(
            "Tick for illustrative samples that are not a real person's testimony; "
            "the page then says so plainly."
        ),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_(
            "If this text is a translation of another testimony in the archive (the "
            "same account in another language), that testimony. Both are then shown side by side, "
            "paragraph by paragraph, so keep the paragraphs in step."
        ),
    )
    external_ref = models.CharField(
        _("import key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The key of the row this record came from in a bulk import file. "
            "Importing the same file again updates this draft instead of adding a copy. "
            "Never shown to the public."
        ),
    )
    clauses = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses"),
        through="TestimonyClause",
        related_name="testimonies",
        blank=True,
        help_text=_("The legal clauses this account concerns."),
    )
    first_published_at = models.DateTimeField(
        _("first published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the public id was given."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the current version was published."),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When consent was withdrawn."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PublishableQuerySet.as_manager()

    class Meta:
        # With a context: the public pages' "testimony" is a plural entry, which a
        # plain gettext lookup of the same word would never find.
        verbose_name = pgettext_lazy("record type", "testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-published_at", "-id"]
        permissions = [
            ("send_testimony_to_review", "Can send a testimony to review"),
            ("publish_testimony", "Can publish a testimony"),
            ("withdraw_testimony", "Can withdraw a testimony"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=choice_values(Status)), name="testimony_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(nationality__in=choice_values(Nationality)),
                name="testimony_nationality_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(age_group__in=choice_values(AgeGroup)),
                name="testimony_age_group_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(work_setting__in=choice_values(WorkSetting)),
                name="testimony_work_setting_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(province__in=choice_values(Province)),
                name="testimony_province_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=choice_values(Language)),
                name="testimony_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year_of_events__gte=1980, year_of_events__lte=2100),
                name="testimony_year_plausible",
            ),
            # A published record always has its permanent id.
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(public_id__isnull=False),
                name="testimony_published_has_public_id",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="testimony_status_pub_idx"),
            models.Index(fields=["nationality"], name="testimony_nationality_idx"),
            models.Index(fields=["age_group"], name="testimony_age_group_idx"),
            models.Index(fields=["work_setting"], name="testimony_work_setting_idx"),
            models.Index(fields=["province"], name="testimony_province_idx"),
            models.Index(fields=["year_of_events"], name="testimony_year_idx"),
            models.Index(fields=["language"], name="testimony_language_idx"),
            # Covering indexes for building the in-memory facet columns: the rows
            # hold long bodies, and these let the database skip them entirely.
            models.Index(
                fields=[
                    "status",
                    "id",
                    "public_id",
                    "nationality",
                    "age_group",
                    "work_setting",
                    "province",
                    "language",
                    "year_of_events",
                ],
                name="testimony_facet_columns_idx",
            ),
            models.Index(
                fields=["status", "first_published_at", "id", "public_id"],
                name="testimony_first_pub_idx",
            ),
            models.Index(
                fields=["status", "date_recorded", "id", "public_id"],
                name="testimony_recorded_idx",
            ),
        ]

    def __str__(self) -> str:
        label = self.public_id or f"draft #{self.pk}"
        return f"{label}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("testimonies:testimony_detail", kwargs={"public_id": self.public_id})

    def consent_scope(self) -> str | None:
        if self.pk is None:
            return None
        return Consent.objects.filter(testimony_id=self.pk).values_list("scope", flat=True).first()

    def render_public_text(self, *, excerpts_only: bool = False, scope: str | None = None) -> None:
        """Compute the public text from the editors' marked-up text; the consent's
        scope (read from the database unless given) decides which body paragraphs
        are public, so ``excerpts_only`` is taken from it."""
        scope = scope or self.consent_scope()
        super().render_public_text(excerpts_only=scope == ConsentScope.EXCERPTS)

    @property
    def paragraphs(self) -> list[str]:
        """The body split on blank lines; paragraph n is cited as #p<n>."""
        return redaction.paragraphs(self.body)


class TestimonyVersion(models.Model):
    """The public text of a testimony exactly as it was at one publication.

    A citation names a version, so a quoted sentence can always be found
    again at /testimonies/<public-id>/v<n>/ even after corrections.
    """

    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="versions",
        help_text=_("The testimony."),
        verbose_name=pgettext_lazy("record type", "testimony"),
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("1 for the first publication, then 2, 3, ...")
    )
    # Rendered text: a redaction marker can render longer than it is written.
    title = models.CharField(_("title"), max_length=300)
    narrator_pseudonym = models.CharField(_("narrator pseudonym"), max_length=80)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"))
    correction_note = models.CharField(
        _("correction note"),
        max_length=450,
        blank=True,
        help_text=_(
            "Public note on what changed from the previous version, e.g. 'Date of raid corrected'."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"), help_text=_("When this version was published.")
    )
    # Private: kept so that narrowing consent later can take out of this version
    # exactly the paragraphs the narrator no longer agrees to publish.
    body_source = models.TextField(
        _("body as marked up"),
        blank=True,
        editable=False,
        help_text=_(
            "The editors' marked-up body this version was rendered from. Never published; "
            "empty for versions made before it was kept."
        ),
    )
    links = models.JSONField(
        _("links"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The clause links and violations the record showed at this publication, so "
            "that a change to them is a new version too; null where not recorded."
        ),
    )
    withheld_at = models.DateTimeField(
        _("text withheld at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When paragraphs of this version were taken out at the narrator's request "
            "(consent narrowed to excerpts)."
        ),
    )
    redacted_at = models.DateTimeField(
        _("redacted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When redactions made later were applied to this version's text."),
    )

    class Meta:
        verbose_name = _("testimony version")
        verbose_name_plural = _("testimony versions")
        ordering = ["testimony", "number"]
        constraints = [
            models.UniqueConstraint(fields=["testimony", "number"], name="testimony_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.testimony.public_id} v{self.number}"
