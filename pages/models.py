"""The archive's own pages, one record each, English and Thai side by side.

One record per page rather than one per language: the set of pages is fixed
(each has its address and its footer link), a translator sees the English
beside the Thai in one form, and one history entry holds both, so it is plain
which English a Thai text was translated from. A page with no Thai text is
shown to Thai readers in English, with a note saying so.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The stale-form guard the testimonies and raids use: two reviewers editing one
# page must not silently undo each other either.
from testimonies.models import EditVersioned

MARKUP_HELP = _(
    "Plain text. Leave a blank line between paragraphs. A line starting with '## ' "
    "is a heading; lines starting with '- ' make a list. Links: [words](https://...) "
    "or [words](/open-data/) for a page of this site. HTML is shown as typed, never run."
)


class Page(EditVersioned):
    class Slug(models.TextChoices):
        ABOUT = "about", _("About the archive")
        METHODOLOGY = "methodology", _("Methodology")
        CONSENT = "consent", _("Consent and withdrawal")
        CITE = "cite", _("How to cite and reuse")
        CONTACT = "contact", _("Contact")
        OPEN_DATA = "open-data", _("Open data")

    slug = models.CharField(
        _("page"),
        max_length=20,
        unique=True,
        choices=Slug,
        help_text=_(
            "Which of the archive's pages this is. Each has a fixed address and a link in "
            "the footer of every page, so it is chosen once and never changed."
        ),
    )
    title_en = models.CharField(
        _("English title"), max_length=200, help_text=_("The page's heading in English.")
    )
    body_en = models.TextField(_("English text"), help_text=MARKUP_HELP)
    title_th = models.CharField(
        _("Thai title"),
        max_length=200,
        blank=True,
        help_text=_(
            "The page's heading in Thai. Leave it and the Thai text empty until a translation "
            "exists: Thai readers then see the English, with a note that says so."
        ),
    )
    body_th = models.TextField(
        _("Thai text"),
        blank=True,
        help_text=_("The page in Thai, written with the same markup as the English text."),
    )
    updated_at = models.DateTimeField(
        _("last changed"), auto_now=True, help_text=_("When the page was last saved.")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    slug__in=["about", "methodology", "consent", "cite", "contact", "open-data"]
                ),
                name="page_slug_valid",
            ),
            # Half a translation (a Thai title over English text, or the reverse)
            # would show Thai readers a page in two languages without saying so.
            models.CheckConstraint(
                condition=models.Q(title_th="", body_th="")
                | (~models.Q(title_th="") & ~models.Q(body_th="")),
                name="page_thai_title_and_text_together",
                violation_error_message=_(
                    "Give the Thai title and the Thai text together, or leave both empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.slug}")
