from django.urls import path

from . import views

auth_urlpatterns = [
    path("register", views.RegisterView.as_view(), name="register"),
    path("login", views.LoginView.as_view(), name="login"),
    path("refresh", views.RefreshView.as_view(), name="refresh"),
]

users_urlpatterns = [
    path("me", views.MeView.as_view(), name="me"),
]
