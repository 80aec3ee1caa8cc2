from django.urls import path

from ecplan.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("areas/", views.area_list, name="areas"),
    path("<str:region>/<slug:code>/", views.organisation_detail, name="detail"),
]
