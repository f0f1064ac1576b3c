"""The admin's forms: stale edits refused, markers checked, links onto published records guarded."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from testimonies import redaction, services
from testimonies.models import (
    Consent,
    ConsentScope,
    Status,
)
from testimonies.templatetags.local_dates import local_date


class EditVersionForm(forms.ModelForm):
    """Carries the edit version the form was opened at, and refuses a save from a stale one.

    Two editors open the same record; the first saves; the second's form now
    shows an old version of the record, and saving it would silently undo the
    first editor's work. The second save is refused instead, with nothing written.
    """

    opened_at_version = forms.IntegerField(
        label=gettext_lazy("Opened at version"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opened_at_version"] = self.instance.edit_version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        # Locked until the admin's transaction ends (the change view runs in
        # one), so no other save can slip in between this check and ours.
        current = (
            model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("edit_version", flat=True)
            .first()
        )
        if cleaned.get("opened_at_version") != current:
            raise forms.ValidationError(self._stale_message(), code="stale")
        return cleaned

    def _stale_message(self) -> str:
        last = self.instance.history.order_by("-history_date").first()
        label = self.instance._meta.verbose_name
        if last is None:
            return _(
                "This %(label)s was changed by someone else after you opened it. "
                "Nothing you entered was saved, so their changes are not overwritten. "
                "Copy anything you need, reload the page to see the current text, "
                "and make your changes again."
            ) % {"label": label}
        name = last.history_user.get_username() if last.history_user else _("someone else")
        return _(
            "This %(label)s was changed by someone else after you opened it "
            "(last saved by %(name)s, %(when)s). "
            "Nothing you entered was saved, so their changes are not overwritten. "
            "Copy anything you need, reload the page to see the current text, "
            "and make your changes again."
        ) % {"label": label, "name": name, "when": local_date(last.history_date, "d M Y H:i")}


class MarkedTextForm(forms.ModelForm):
    """Refuses text whose redaction markers are broken: such text could leak a name.

    Checks every marked-up source field of the model that the form shows; the
    message names the field, since an inline row shows its errors apart from it.
    """

    def clean(self) -> dict[str, Any]:
        model = self._meta.model
        for source in model.source_fields.values():
            if source not in self.fields or source not in self.cleaned_data:
                continue
            for problem in model.source_errors(source, self.cleaned_data[source]):
                self.add_error(
                    source,
                    _("%(field)s: %(problem)s")
                    % {"field": self.fields[source].label, "problem": problem},
                )
        super().clean()
        return self.cleaned_data


class WorkflowRecordForm(MarkedTextForm, EditVersionForm):
    """A testimony's or an incident's form: markers checked, stale edits refused."""


class RightsViolationInlineForm(MarkedTextForm):
    # Django's own hook, private and so missing from the type stubs.
    def _get_validation_exclusions(self) -> set[str]:
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        # The inline always sets the testimony, but a new testimony has no pk
        # while forms are validated; the database constraint still holds.
        exclusions.add("testimony")
        return exclusions


class ConsentInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        testimony = self.instance
        if testimony.pk is None or testimony.status != Status.PUBLISHED:
            return
        consents = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        saved = Consent.objects.filter(testimony=testimony).first()
        if consents:
            scope = consents[0].get("scope")
        elif saved is not None:
            scope = saved.scope
        else:
            raise ValidationError(
                _(
                    "This testimony was published before consent was recorded: record the "
                    "narrator's consent to publish this correction."
                )
            )
        # The form's text is already on the instance: check it against the scope
        # now, so the correction is refused here rather than after saving.
        if scope == ConsentScope.EXCERPTS and not redaction.excerpt_count(testimony.body_source):
            raise ValidationError(
                _(
                    "Consent covers excerpts only: begin at least one body paragraph with "
                    "[[excerpt]], or nothing of the body could be published."
                )
            )


class ShownOnRecordsForm(MarkedTextForm):
    """Refuses, for a user who may not publish, a link onto a published record.

    ``user`` is set per request by ``ShownOnRecordsAdmin.get_form``.
    """

    user: services.User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        targets = [cleaned.get(name) for name in ("testimony", "incident") if name in cleaned]
        try:
            services.require_publish_permission(
                [record for record in targets if record is not None],
                # Without a user, nobody's permission: no link onto a published record.
                by=self.user or AnonymousUser(),
            )
        except services.WorkflowError as error:
            raise ValidationError(str(error)) from error
        return cleaned
