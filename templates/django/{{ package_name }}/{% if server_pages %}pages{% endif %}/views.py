"""Pages for people: sign in and out, and the signed-in user's own items.

Class-based views on sessions (Django's auth), separate from the API, which stays JWT-only.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.views import generic

from ..items.models import Item
from .forms import ItemForm, SignInForm

ITEMS_PER_PAGE = 20


class SignInView(auth_views.LoginView):
    template_name = "pages/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): a link or an image on another site cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response


class OwnItemsMixin(LoginRequiredMixin):
    """Only the signed-in user's items: anyone else's answer 404, as in the API."""

    model = Item
    request: HttpRequest

    def get_queryset(self) -> QuerySet[Item]:
        return Item.objects.filter(owner_id=self.request.user.pk)


class ItemListView(OwnItemsMixin, generic.ListView):
    template_name = "pages/item_list.html"
    # Newest first: the model's ordering.
    paginate_by = ITEMS_PER_PAGE


class ItemCreateView(OwnItemsMixin, SuccessMessageMixin, generic.CreateView):
    template_name = "pages/item_form.html"
    form_class = ItemForm
    success_url = reverse_lazy("pages:item-list")
    success_message = "Item “%(title)s” created."

    def form_valid(self, form: ItemForm) -> HttpResponse:
        form.instance.owner = self.request.user
        return super().form_valid(form)


class ItemUpdateView(OwnItemsMixin, SuccessMessageMixin, generic.UpdateView):
    template_name = "pages/item_form.html"
    form_class = ItemForm
    success_url = reverse_lazy("pages:item-list")
    success_message = "Item “%(title)s” saved."


class ItemDeleteView(OwnItemsMixin, SuccessMessageMixin, generic.DeleteView):
    template_name = "pages/item_confirm_delete.html"
    success_url = reverse_lazy("pages:item-list")

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        return f"Item “{self.object.title}” deleted."
