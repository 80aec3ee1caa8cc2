from django.urls import path

from ecplan.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<slug:code>/", views.overview, name="overview"),
    path("<slug:code>/text/", views.plan_text, name="text"),
    path("<slug:code>/tasks/<int:number>/", views.task_detail, name="task"),
    path("<slug:code>/targets/<slug:key>/", views.target_detail, name="target"),
]
