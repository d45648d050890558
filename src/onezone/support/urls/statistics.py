"""Pages of the monthly enterprise statistics: the enterprise's reports, the desk's figures, the import."""

from django.urls import path

from onezone.support.urls import statistics_views as views

urlpatterns: list = [
    path("portal/enterprise/statistics/", views.portal_statistics, name="support-portal-statistics"),
    path("desk/support/statistics/", views.desk_statistics, name="support-desk-statistics"),
    path("desk/support/statistics/import/", views.desk_import, name="support-desk-import"),
    path(
        "desk/support/statistics/import-template.xlsx", views.desk_import_template, name="support-desk-import-template"
    ),
]
