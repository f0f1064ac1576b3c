"""Proposed changes to the reference data every testimony depends on.

Laws, clauses, amendments, clause versions and violation types are public
the moment their rows change, and every testimony page reads them. An
editor's save in the admin therefore does not write the row: it stores a
``ReferenceChange`` in review, holding the values the editor proposed and the
values they were based on. A reviewer publishes it (the live row is written,
in one transaction, through ``laws.services.reference_change_publish``) or
rejects it. A proposal based on values that have changed since is refused
rather than applied, so no reviewer overwrites a change they never saw.

Imported at the foot of ``laws/models.py`` so that Django registers it with
the laws app.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The models whose admin saves are staged, as (app label, model name).
REVIEWED_MODELS = [
    ("laws", "law"),
    ("laws", "clause"),
    ("laws", "amendment"),
    ("laws", "clauseversion"),
    ("testimonies", "violationtype"),
]


def _reviewed_models() -> models.Q:
    query = models.Q(pk__in=[])
    for app_label, model in REVIEWED_MODELS:
        query |= models.Q(app_label=app_label, model=model)
    return query


class ReferenceChangeQuerySet(models.QuerySet["ReferenceChange"]):
    def pending(self) -> "ReferenceChangeQuerySet":
        return self.filter(
            status__in=[ReferenceChange.Status.DRAFT, ReferenceChange.Status.IN_REVIEW]
        )


ReferenceChangeManager = models.Manager.from_queryset(ReferenceChangeQuerySet)


class ReferenceChange(models.Model):
    """An editor's change to a law, clause, amendment, clause version or violation type,
    waiting for a reviewer; never shown on a public page."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
        limit_choices_to=_reviewed_models,
        related_name="+",
        help_text=_("Law, clause, amendment, clause version or violation type."),
    )
    target_id = models.PositiveBigIntegerField(
        _("record"),
        null=True,
        blank=True,
        help_text=_("The record the change is to; empty for a proposed new record."),
    )
    target_label = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("How the record is cited, e.g. 'ATIPA 2008, s. 29', as the editor saw it."),
    )
    proposed = models.JSONField(
        _("proposed values"),
        default=dict,
        help_text=_(
            "Every field of the form as the editor saved it: related records by their "
            "number, dates as YYYY-MM-DD."
        ),
    )
    based_on = models.JSONField(
        _("values it was based on"),
        default=dict,
        blank=True,
        help_text=_(
            "The same fields as they were on the public record when the change was proposed; "
            "empty for a new record. If the record has changed since, the proposal is refused."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.IN_REVIEW,
        help_text=_("Only a reviewer publishes or rejects a change."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The editor who proposed the change."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The reviewer who published or rejected it."),
    )
    created_at = models.DateTimeField(
        _("proposed at"), auto_now_add=True, help_text=_("When the editor saved the change.")
    )
    decided_at = models.DateTimeField(
        _("decided at"),
        null=True,
        blank=True,
        help_text=_("When the reviewer published or rejected it."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("The reviewer's reason for rejecting, for the editor to read."),
    )

    history = HistoricalRecords()
    objects = ReferenceChangeManager()

    class Meta:
        verbose_name = _("proposed change to reference data")
        verbose_name_plural = _("proposed changes to reference data")
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "publish_reference_change",
                "Can publish or reject changes to laws, clauses and violation types",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "review", "published", "rejected"]),
                name="reference_change_status_valid",
            ),
            # A decision names who took it and when; an open proposal has neither.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=["published", "rejected"],
                        reviewer__isnull=False,
                        decided_at__isnull=False,
                    )
                    | models.Q(
                        status__in=["draft", "review"],
                        reviewer__isnull=True,
                        decided_at__isnull=True,
                    )
                ),
                name="reference_change_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="reference_change_status_idx"),
            models.Index(fields=["target_type", "target_id"], name="reference_change_target_idx"),
        ]

    def __str__(self) -> str:
        return self.target_label

    @property
    def is_new_record(self) -> bool:
        return self.target_id is None

    def target_model(self) -> type[models.Model]:
        model = self.target_type.model_class()
        assert model is not None, self.target_type
        return model
