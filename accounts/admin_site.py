"""The editors' admin: a password and a one-time code from a registered device.

django-otp's ``OTPAdminSite`` treats a staff user who has not typed a code
from a confirmed device in this session as not staff at all. Failed codes are
reported to django-axes as failed logins, so guessing codes locks the client
out just as guessing passwords does.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class ArchiveOTPAuthenticationForm(OTPAdminAuthenticationForm):
    def clean_otp(self, user) -> None:
        try:
            super().clean_otp(user)
        except ValidationError:
            if user is not None and not self.cleaned_data.get("otp_challenge"):
                # The password was right; the code was not. Count it as a failure.
                user_login_failed.send(
                    sender=type(self),
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
            raise


class LabelledAutocompleteView(AutocompleteJsonView):
    """Options labelled by the model admin's ``autocomplete_label`` where it has one.

    A clause's ``str()`` names its citation only; in the picker an editor must
    see the law in full to tell ATIPA s. 29 from the Constitution's.
    """

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class ArchiveAdminSite(OTPAdminSite):
    site_header = gettext_lazy("Testimony Archive: editors")
    site_title = gettext_lazy("Testimony Archive editors")

    def __init__(self, name: str = "admin") -> None:
        # OTPAdminSite names itself "otpadmin"; every reverse("admin:...") needs "admin".
        super().__init__(name)

    # Read per request rather than at import, so the setting alone decides.
    @property
    def login_form(self):
        return (
            ArchiveOTPAuthenticationForm if settings.ADMIN_REQUIRE_2FA else AdminAuthenticationForm
        )

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.ADMIN_REQUIRE_2FA else None

    def autocomplete_view(self, request: HttpRequest):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)

    def has_permission(self, request: HttpRequest) -> bool:
        if not settings.ADMIN_REQUIRE_2FA:
            return AdminSite.has_permission(self, request)
        return super().has_permission(request)
