from django.urls import path

from ecplan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.event_detail, name="detail"),
]
