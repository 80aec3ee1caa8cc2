from django.urls import path

from ecplan.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path(
        "reports/<int:pk>/revisions/<int:number>/result/",
        views.result_detail,
        name="result-detail",
    ),
    path("import/", views.import_page, name="import"),
    path("import/issues/", views.import_issues, name="import-issues"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:pk>/file/", views.import_file_download, name="import-file"),
    path("templates/<slug:report_type>/", views.template_download, name="template"),
    path("export/<slug:kind>/", views.export_download, name="export"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("indicators/", views.indicator_entry, name="indicators"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/sync/", views.assignment_sync, name="assignment-sync"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise-create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path(
        "enterprises/<int:enterprise_pk>/installations/new/",
        views.installation_edit,
        name="installation-create",
    ),
    path("installations/<int:pk>/edit/", views.installation_edit, name="installation-edit"),
    path("restatements/", views.restatement_list, name="restatements"),
]
