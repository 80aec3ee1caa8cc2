from django.urls import path

from ecplan.workflow import views

app_name = "workflow"
urlpatterns = [
    path("", views.status, name="status"),
    path("queue/", views.queue, name="queue"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.submit, name="submit"),
    path("reports/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<int:pk>/decide/", views.decide_report, name="decide-report"),
    path("steps/<int:pk>/decide/", views.decide, name="decide"),
    path("missing/", views.missing, name="missing"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/edit/", views.schedule_edit, name="schedule-edit"),
    path("routes/", views.routes, name="routes"),
    path("routes/<str:report_type>/edit/", views.route_edit, name="route-edit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("reminders/", views.reminders, name="reminders"),
]
