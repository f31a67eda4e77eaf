from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from tugi.forms import TugiFormMixin


class LoginForm(TugiFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. After %(limit)s failed attempts the account is locked for a while."
        ),
        "inactive": _("This account is not active."),
    }

    def get_invalid_login_error(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError

        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class OwnPasswordForm(TugiFormMixin, PasswordChangeForm):
    """Django's password change, worded like the login page (parool, not salasõna)."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("The current password is wrong. Enter it again."),
        "password_mismatch": _("The two new passwords differ."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
