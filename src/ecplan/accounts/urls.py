from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from ecplan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # the interface language (简体中文 by default, English available); public so that the
    # login page can switch too. Django's set_language stores the choice in a cookie.
    path("language/", set_language, name="language"),
    path("me/", views.profile, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("invite/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_invite, name="user-invite"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/roles/new/", views.role_grant, name="role-grant"),
    path("users/<int:pk>/disable/", views.user_disable, name="user-disable"),
    path("users/<int:pk>/enable/", views.user_enable, name="user-enable"),
    path("users/<int:pk>/reinvite/", views.user_reinvite, name="user-reinvite"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
]
