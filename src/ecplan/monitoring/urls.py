from django.urls import path

from ecplan.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_progress, name="run"),
    path("runs/<int:pk>/targets/<int:result>/", views.target_detail, name="target"),
    path("runs/<int:pk>/barometer/", views.run_barometer, name="run-barometer"),
    path("runs/<int:pk>/warnings/<int:warning>/", views.warning_detail, name="warning"),
    path("runs/<int:pk>/areas/<str:area>/", views.area_detail, name="area"),
    path("runs/<int:pk>/json/", views.run_json, name="run-json"),
    path("<slug:code>/progress/", views.progress, name="progress"),
    path("<slug:code>/barometer/", views.barometer, name="barometer"),
    path("<slug:code>/runs/", views.runs, name="runs"),
    path("<slug:code>/rerun/", views.rerun, name="rerun"),
    path("<slug:code>/binding-targets/", views.bindings, name="bindings"),
    path("<slug:code>/target-values/", views.target_values, name="target-values"),
]
