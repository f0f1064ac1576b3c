"""Testimonies, raid incidents, rights violations and the links to the law.

Privacy is part of the model: narrators appear only under a pseudonym with
coarse attributes, and public code reads records only through ``public()``.
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from laws.models import Clause
from testimonies import redaction
from testimonies.vocabulary import (
    AgeGroup,
    DatePrecision,
    Language,
    Nationality,
    Perpetrator,
    Province,
    WorkSetting,
    choice_values,
)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicIdCounter(models.Model):
    """The last number handed out per prefix, so a public id is never reused.

    Numbers are taken at first publication; a record deleted later still
    leaves its number consumed.
    """

    prefix = models.CharField(max_length=4, primary_key=True, help_text="'T' or 'R'.")
    last_number = models.PositiveIntegerField(default=0, help_text="Last number handed out.")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_number}"


class PublishableQuerySet(models.QuerySet):
    def public(self) -> "PublishableQuerySet":
        """The only door through which public code reads these records."""
        return self.filter(status=Status.PUBLISHED, public_id__isnull=False)


class EditVersioned(models.Model):
    """Counts saves in ``edit_version`` so the admin can refuse edits from stale forms.

    Counted in ``save()`` rather than in each workflow function, so that no
    path that writes the record (admin, workflow, command) can forget it.
    """

    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one at every save; an edit form saved from an older "
        "version is refused instead of overwriting someone else's changes.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            self.edit_version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "edit_version"}
        super().save(*args, **kwargs)


class RendersMarkedText(models.Model):
    """Public free text rendered on every save from the editors' marked-up source.

    ``source_fields`` maps each public field to the field editors write, with
    redaction markers (``[[name:...]]``); ``save()`` renders the one from the
    other, so public code reads the public field and no page, feed or export
    can forget to render it. Writing a public field directly has no effect:
    the next save renders it again from its source.
    """

    source_fields: ClassVar[dict[str, str]] = {}
    # Public fields whose paragraphs may begin with [[excerpt]] (a testimony's body).
    excerpt_fields: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.render_public_text()
        update_fields = kwargs.get("update_fields")
        text_fields = {*self.source_fields, *self.source_fields.values()}
        if update_fields is not None and set(update_fields) & text_fields:
            kwargs["update_fields"] = set(update_fields) | text_fields
        super().save(*args, **kwargs)

    def rendered_text(self, *, excerpts_only: bool = False) -> dict[str, str]:
        """Each public field as its source renders now, whatever the public field holds."""
        return {
            public: (
                redaction.render_body(getattr(self, source), excerpts_only=excerpts_only)
                if public in self.excerpt_fields
                else redaction.render(getattr(self, source))
            )
            for public, source in self.source_fields.items()
        }

    def render_public_text(self, *, excerpts_only: bool = False) -> None:
        for public, text in self.rendered_text(excerpts_only=excerpts_only).items():
            setattr(self, public, text)

    @classmethod
    def source_errors(cls, source: str, text: str) -> list[str]:
        """What is wrong with the markers of ``text``, written to the source field ``source``."""
        excerpts = any(cls.source_fields[public] == source for public in cls.excerpt_fields)
        return redaction.errors(text, excerpts_allowed=excerpts)

    def markup_errors(self) -> dict[str, list[str]]:
        """Broken markers, by source field; only the fields that have any."""
        found = {}
        for source in self.source_fields.values():
            if problems := self.source_errors(source, getattr(self, source)):
                found[source] = problems
        return found


class Vocabulary(models.Model):
    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Stable code used in URLs.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Label shown to readers."))
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first.")
    )

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class VocabularyManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class Authority(Vocabulary):
    """A body present at a raid: police, immigration, DSI, an NGO, the media..."""

    objects = VocabularyManager()

    class Meta(Vocabulary.Meta):
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")


class Outcome(Vocabulary):
    """What happened to the people taken in a raid: detention, shelter, deportation..."""

    objects = VocabularyManager()

    class Meta(Vocabulary.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")


class ConsentScope(models.TextChoices):
    FULL = "full", _("Publish in full")
    EXCERPTS = "excerpts", _("Publish excerpts only")
    RESEARCH = "research", _("Research only (never published)")


class ConsentBasis(models.TextChoices):
    WRITTEN = "written", _("Written consent")
    ORAL_RECORDED = "oral-recorded", _("Oral consent, recorded")
    PARTNER = "partner", _("Through a partner organisation")


# A testimony's public fields and the editors' marked-up fields they are rendered from.
SOURCE_FIELDS = {
    "title": "title_source",
    "summary": "summary_source",
    "body": "body_source",
    "content_note": "content_note_source",
    "source": "source_source",
    "correction_note": "correction_note_source",
}
# The fields that older code wrote directly, before they had sources; only
# these are adopted as their own source (see Testimony._adopt_direct_writes).
ADOPTED_DIRECT_WRITES = ("title", "summary", "body")
RENDERED_HELP_TEXT = _("Rendered from the editors' text on every save: redactions applied.")


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

    def save(self, *args, **kwargs) -> None:
        self._adopt_direct_writes()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("testimonies:testimony_detail", kwargs={"public_id": self.public_id})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        for public in ADOPTED_DIRECT_WRITES:
            source = SOURCE_FIELDS[public]
            # A row written without its source (a bulk insert by code older than
            # the source fields) reads as if its public text were its source,
            # so the next save renders that text rather than an empty one.
            loaded = public in field_names and source in field_names
            if loaded and not getattr(instance, source) and getattr(instance, public):
                setattr(instance, source, getattr(instance, public))
        instance._loaded_text = {
            name: getattr(instance, name)
            for public in ADOPTED_DIRECT_WRITES
            for name in (public, SOURCE_FIELDS[public])
            if name in field_names
        }
        return instance

    def _adopt_direct_writes(self) -> None:
        """Take a public field written directly as the new source of that field.

        Code written before the source fields existed sets ``title``,
        ``summary`` or ``body``: such a value, when its source was left
        untouched, becomes the source and is rendered like any other, so
        nothing written that way is lost and nothing bypasses redaction.
        """
        loaded = getattr(self, "_loaded_text", {})
        for public in ADOPTED_DIRECT_WRITES:
            source = SOURCE_FIELDS[public]
            public_changed = getattr(self, public) != loaded.get(public, "")
            source_unchanged = getattr(self, source) == loaded.get(source, "")
            if public_changed and source_unchanged:
                setattr(self, source, getattr(self, public))

    def consent_scope(self) -> str | None:
        if self.pk is None:
            return None
        return Consent.objects.filter(testimony_id=self.pk).values_list("scope", flat=True).first()

    def render_public_text(self, *, scope: str | None = None) -> None:
        """Compute the public text from the editors' marked-up text; the consent's
        scope decides which body paragraphs are public."""
        scope = scope or self.consent_scope()
        super().render_public_text(excerpts_only=scope == ConsentScope.EXCERPTS)
        # What is rendered now is in step with its source: a later direct write
        # to a public field is told apart from this rendering.
        self._loaded_text = {
            name: getattr(self, name)
            for public in ADOPTED_DIRECT_WRITES
            for name in (public, SOURCE_FIELDS[public])
        }

    @property
    def paragraphs(self) -> list[str]:
        """The body split on blank lines; paragraph n is cited as #p<n>."""
        return redaction.paragraphs(self.body)


class Consent(models.Model):
    """What the narrator agreed to. Private: no public page, index or export reads it.

    Kept apart from the testimony so that it has its own permission: only
    reviewers see it. Publishing needs a consent that allows it. Recorded
    through ``services.consent_record``, which makes the public text obey it.
    """

    Scope = ConsentScope
    Basis = ConsentBasis

    testimony = models.OneToOneField(
        Testimony,
        on_delete=models.CASCADE,
        related_name="consent",
        help_text=_("The testimony."),
        verbose_name=pgettext_lazy("record type", "testimony"),
    )
    basis = models.CharField(
        _("basis"),
        max_length=16,
        choices=ConsentBasis,
        help_text=_(
            "How consent was given: in writing, orally on a recording, or through the "
            "partner organisation that took the testimony."
        ),
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=ConsentScope,
        help_text=_(
            "What the narrator agreed to. 'Publish excerpts only': only the body "
            "paragraphs that begin with [[excerpt]] are published (title and summary, written by "
            "us, are published with their redactions); the rest never leaves the editorial side. "
            "'Research only': the testimony is never published."
        ),
    )
    given_on = models.DateField(
        _("given on"), help_text=_("When consent was given (or last confirmed).")
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Private note for reviewers, e.g. who holds the signed form. Never published; "
            "erased if the testimony is withdrawn."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=choice_values(ConsentScope)),
                name="consent_scope_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(basis__in=choice_values(ConsentBasis)),
                name="consent_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.get_basis_display().lower()}, {self.given_on})"

    @property
    def allows_publication(self) -> bool:
        return self.scope in (ConsentScope.FULL, ConsentScope.EXCERPTS)

    def clean(self) -> None:
        testimony = Testimony.objects.filter(pk=self.testimony_id).only("status").first()
        if (
            testimony is not None
            and testimony.status == Status.PUBLISHED
            and not self.allows_publication
        ):
            raise ValidationError(
                {
                    "scope": _(
                        "This testimony is published. If the narrator no longer agrees to "
                        "publication, withdraw it (the 'Withdraw' action) rather than changing "
                        "the scope."
                    )
                }
            )


class ClauseRelation(models.TextChoices):
    INVOKED = "invoked", _("Invoked by authorities")
    VIOLATED = "violated", _("Violated")
    NOT_APPLIED = "not-applied", _("Protective provision not applied")
    OTHER = "other", _("Other")


class TestimonyClause(RendersMarkedText):
    """How one testimony bears on one legal clause: the heart of the archive."""

    Relation = ClauseRelation
    source_fields = {"note": "note_source"}

    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        related_name="clause_links",
        help_text=_("The account."),
        verbose_name=pgettext_lazy("record type", "testimony"),
    )
    clause = models.ForeignKey(
        Clause,
        on_delete=models.PROTECT,
        related_name="testimony_links",
        help_text=_("The clause."),
        verbose_name=_("clause"),
    )
    relation = models.CharField(
        _("relation"),
        max_length=12,
        choices=ClauseRelation,
        help_text=_(
            "How the clause bears on the account: used against the narrator, "
            "breached, or a protection that should have applied and did not."
        ),
    )
    note_source = models.TextField(
        _("note"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("One or two sentences explaining the link, shown on both pages."),
            redaction.HELP_TEXT,
        ),
    )
    note = models.TextField(
        _("public note"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"),
        null=True,
        blank=True,
        help_text=_("Optional: the paragraph number (#p) the link concerns."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("testimony clause")
        verbose_name_plural = _("testimony clauses")
        ordering = ["clause__law__order", "clause__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "clause", "relation"], name="testimony_clause_relation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=choice_values(ClauseRelation)),
                name="testimony_clause_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.citation} ({self.get_relation_display()})"


class RaidIncident(RendersMarkedText, EditVersioned):
    source_fields = {"title": "title_source", "description": "description_source"}

    public_id = models.CharField(
        _("public id"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Given at first publication (R-0001, R-0002, ...) and never changed or reused."
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
            _("A short descriptive title, e.g. 'Raid on a karaoke bar, 2011'."),
            redaction.HELP_TEXT,
        ),
    )
    # Rendered text: a redaction marker can render longer than it is written.
    title = models.CharField(
        _("public title"), max_length=300, editable=False, help_text=RENDERED_HELP_TEXT
    )
    date = models.DateField(
        _("date"),
        help_text=_(
            "Date of the raid; if only the month or year is known, use the first day "
            "and set the precision."
        ),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the date is known."),
    )
    province = models.CharField(
        _("province"), max_length=24, choices=Province, help_text=_("Province of the raid.")
    )
    venue_type = models.CharField(
        _("venue type"),
        max_length=14,
        choices=WorkSetting,
        help_text=_("Kind of place that was raided."),
    )
    authorities = models.ManyToManyField(
        Authority,
        blank=True,
        related_name="incidents",
        help_text=_("Who was present at the raid."),
        verbose_name=_("authorities"),
    )
    people_taken = models.PositiveIntegerField(
        _("people taken"),
        null=True,
        blank=True,
        help_text=_("How many people were taken away, if known."),
    )
    outcomes = models.ManyToManyField(
        Outcome,
        blank=True,
        related_name="incidents",
        help_text=_("What happened to those taken."),
        verbose_name=_("outcomes"),
    )
    clauses_invoked = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses invoked"),
        blank=True,
        related_name="incidents",
        help_text=_("The clauses the authorities relied on."),
    )
    testimonies = models.ManyToManyField(
        Testimony,
        verbose_name=_("testimonies"),
        blank=True,
        related_name="incidents",
        help_text=_("Testimonies that recount this raid."),
    )
    description_source = models.TextField(
        _("description"),
        blank=True,
        help_text=format_lazy("{} {}", _("What happened, in our own words."), redaction.HELP_TEXT),
    )
    description = models.TextField(
        _("public description"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    is_sample = models.BooleanField(
        _("is sample"),
        default=False,
        help_text=_("Tick for illustrative samples that did not happen as described."),
    )
    first_published_at = models.DateTimeField(
        _("first published at"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[authorities, outcomes])
    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("raid incident")
        verbose_name_plural = _("raid incidents")
        ordering = ["-date", "-id"]
        permissions = [
            ("send_raidincident_to_review", "Can send an incident to review"),
            ("publish_raidincident", "Can publish an incident"),
            ("withdraw_raidincident", "Can withdraw an incident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=choice_values(Status)), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(province__in=choice_values(Province)),
                name="incident_province_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(venue_type__in=choice_values(WorkSetting)),
                name="incident_venue_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(date_precision__in=choice_values(DatePrecision)),
                name="incident_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(public_id__isnull=False),
                name="incident_published_has_public_id",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="incident_status_date_idx"),
            models.Index(fields=["province"], name="incident_province_idx"),
        ]

    def __str__(self) -> str:
        label = self.public_id or f"draft #{self.pk}"
        return f"{label}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("testimonies:incident_detail", kwargs={"public_id": self.public_id})

    @property
    def date_display(self) -> str:
        if self.date_precision == DatePrecision.YEAR:
            return f"{self.date:%Y}"
        if self.date_precision == DatePrecision.MONTH:
            return f"{self.date:%B %Y}"
        return f"{self.date:%-d %B %Y}"


class ViolationType(models.Model):
    """The controlled vocabulary of rights violations, mapped to the clauses they engage."""

    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Stable code, e.g. 'arb-det-shelter'.")
    )
    label = models.CharField(_("label"), max_length=120, help_text=_("Name shown to readers."))
    scope_note = models.TextField(
        _("scope note"), help_text=_("What counts as this violation, and what does not.")
    )
    clauses = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses"),
        blank=True,
        related_name="violation_types",
        help_text=_("The clauses whose rights this kind of violation engages."),
    )
    is_control = models.BooleanField(
        _("is control"),
        default=False,
        help_text=_("Tick for tags that mark real exploitation rather than a harm done by policy."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first.")
    )

    history = HistoricalRecords(m2m_fields=[clauses])
    objects = VocabularyManager()

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class RightsViolationQuerySet(models.QuerySet):
    def public(self) -> "RightsViolationQuerySet":
        """Violations every record of which is public: the only ones public code shows.

        A violation names a testimony, an incident or both; its type and note
        tell of both, so one shared with a draft raid stays hidden until the
        raid is published too.
        """
        return self.filter(
            models.Q(testimony__isnull=True)
            | models.Exists(Testimony.objects.public().filter(pk=models.OuterRef("testimony_id")))
        ).with_public_incident_or_none()

    def with_public_incident_or_none(self) -> "RightsViolationQuerySet":
        """The incident side of ``public()``, for readers that start from public testimonies."""
        return self.filter(
            models.Q(incident__isnull=True)
            | models.Exists(RaidIncident.objects.public().filter(pk=models.OuterRef("incident_id")))
        )


class RightsViolation(RendersMarkedText):
    """One occurrence of a violation, evidenced by a testimony and/or an incident."""

    source_fields = {"note": "note_source"}

    violation_type = models.ForeignKey(
        ViolationType,
        verbose_name=_("violation type"),
        on_delete=models.PROTECT,
        related_name="occurrences",
        help_text=_("What kind of violation this is."),
    )
    testimony = models.ForeignKey(
        Testimony,
        verbose_name=pgettext_lazy("record type", "testimony"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="violations",
        help_text=_("The testimony that evidences it (this and/or an incident is required)."),
    )
    incident = models.ForeignKey(
        RaidIncident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="violations",
        help_text=_("The raid it happened in (this and/or a testimony is required)."),
    )
    perpetrator = models.CharField(
        _("perpetrator"), max_length=16, choices=Perpetrator, help_text=_("Who committed it.")
    )
    note_source = models.TextField(
        _("note"),
        blank=True,
        help_text=format_lazy(
            "{} {}", _("What happened, briefly, in our own words."), redaction.HELP_TEXT
        ),
    )
    note = models.TextField(
        _("public note"), blank=True, editable=False, help_text=RENDERED_HELP_TEXT
    )
    clauses_breached = models.ManyToManyField(
        Clause,
        verbose_name=_("clauses breached"),
        blank=True,
        related_name="violations",
        help_text=_("The clauses this occurrence breached."),
    )

    history = HistoricalRecords(m2m_fields=[clauses_breached])
    objects = RightsViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rights violation")
        verbose_name_plural = _("rights violations")
        ordering = ["violation_type__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(testimony__isnull=False) | models.Q(incident__isnull=False),
                name="violation_has_testimony_or_incident",
            ),
            models.CheckConstraint(
                condition=models.Q(perpetrator__in=choice_values(Perpetrator)),
                name="violation_perpetrator_valid",
            ),
        ]
        indexes = [models.Index(fields=["violation_type"], name="violation_type_idx")]

    def __str__(self) -> str:
        return f"{self.violation_type} by {self.get_perpetrator_display().lower()}"


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


class SearchDocument(models.Model):
    """What the full-text engine indexes for one published testimony.

    A row exists only while its testimony is published, and holds only public
    fields, already tokenised by ``archive.search.text`` (Thai segmented). The
    engine's own index (FTS5 table or tsvector column, created by migration
    for the database in use) is kept in step with ``text`` by the database.
    """

    testimony = models.OneToOneField(
        Testimony, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    text = models.TextField(help_text="Tokenised public text: title, pseudonym, summary, body.")

    def __str__(self) -> str:
        return f"Search document for {self.testimony_id}"


class IndexGeneration(models.Model):
    """A token renewed whenever public search data changes.

    Every worker process keeps facet data in memory; comparing this token on
    each request tells it, cheaply and exactly, when to rebuild. A random
    token rather than a counter, so a rolled-back change or a restored backup
    can never bring back a value some worker already cached.
    """

    name = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class Withdrawal(models.Model):
    """The withdrawal ledger: which public ids were withdrawn, and when. Nothing else.

    No text and no reason, so the ledger itself can never leak what was
    withdrawn; of an imported record, a hash of its import key (see
    ``ledger.import_key_fingerprint``), never the key. It is also appended to
    a file outside the database (``ARCHIVE_WITHDRAWAL_LEDGER``): restoring an
    old backup restores an old copy of this table too, and the file is what
    lets ``reapply_withdrawals`` erase again what the backup brought back.
    """

    public_id = models.CharField(
        _("public id"),
        max_length=12,
        primary_key=True,
        help_text=_("The withdrawn record's public id."),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"), help_text=_("When consent was withdrawn.")
    )
    import_key_fingerprint = models.CharField(
        _("import key fingerprint"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "A one-way fingerprint of the import key the record came from, if it "
            "was imported, so that re-importing the original file cannot bring the testimony "
            "back. The key itself is erased."
        ),
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["withdrawn_at", "public_id"]

    def __str__(self) -> str:
        return f"{self.public_id} withdrawn {self.withdrawn_at:%Y-%m-%d}"
