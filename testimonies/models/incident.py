"""Raid incidents and the vocabularies that describe them."""

from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laws.models import Clause
from testimonies import redaction
from testimonies.models.base import (
    RENDERED_HELP_TEXT,
    EditVersioned,
    PublishableQuerySet,
    RendersMarkedText,
    Status,
    Vocabulary,
    VocabularyManager,
)
from testimonies.models.testimony import Testimony
from testimonies.vocabulary import (
    DatePrecision,
    Province,
    WorkSetting,
    choice_values,
)


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
