"""The pages' routes, under their own names (`pages:item-list` ...) beside the API's."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "pages"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="pages:item-list"), name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item-update"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item-delete"),
]
