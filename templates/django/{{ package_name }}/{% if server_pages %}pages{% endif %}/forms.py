"""The pages' forms: sign-in (throttled like the API's login) and an item's fields."""

import math
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError

from ..api.network import client_ip
from ..items.models import Item
from ..users import throttling
from ..users.views import INVALID_CREDENTIALS

THROTTLED = "Too many failed sign-in attempts. Try again in %(minutes)s min."


class SignInForm(AuthenticationForm):
    """Django's login form (email and password), sharing the API login's failure counts."""

    username = UsernameField(widget=forms.EmailInput(attrs={"autofocus": True}))

    # Seconds until a throttled sign-in may be tried again (0: not throttled).
    retry_after = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The API's words: Django's default calls the email case-sensitive, which it is not here.
        self.error_messages = {**self.error_messages, "invalid_login": INVALID_CREDENTIALS}

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        if not (email and self.cleaned_data.get("password")):
            return super().clean()
        ip = client_ip(self.request)
        try:
            throttling.check(email, ip)
        except throttling.LoginThrottled as throttled:
            self.retry_after = throttled.wait
            raise ValidationError(
                THROTTLED,
                code="throttled",
                params={"minutes": math.ceil(throttled.wait / 60)},
            ) from None
        try:
            return super().clean()
        except ValidationError:
            throttling.record_failure(email, ip)
            raise


class ItemForm(forms.ModelForm):
    # The API's limit; empty is NULL, as the API stores it.
    description = forms.CharField(
        required=False, empty_value=None, max_length=10_000, widget=forms.Textarea
    )

    class Meta:
        model = Item
        fields = ("title", "description")
