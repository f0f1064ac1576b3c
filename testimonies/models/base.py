"""The building blocks the archive's models share: status, the public door,
edit versions, rendered free text and vocabularies."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.bilingual import Bilingual
from testimonies import redaction


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


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


class Vocabulary(Bilingual, models.Model):
    bilingual_fields = {"name": "name_th"}

    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Stable code used in URLs.")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Label shown to readers, in English.")
    )
    name_th = models.CharField(
        _("Thai name"),
        max_length=100,
        blank=True,
        help_text=_("Label shown to Thai readers, in words an outreach worker would use."),
    )
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


RENDERED_HELP_TEXT = _("Rendered from the editors' text on every save: redactions applied.")
