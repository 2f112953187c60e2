from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms


class StaffLoginForm(forms.TextRulesFormMixin, AuthenticationForm):
    """Password step of the staff login; the user must belong to the authority of this address."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        authority = getattr(self.request, "authority", None)
        wrong_place = authority is None or user.authority_id != authority.id
        if user.is_integration or (not user.is_superuser and wrong_place):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip().replace(" ", "")


class MagicLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
