from django.contrib import admin
from django.urls import path

from onezone.assessment import views

app_name = "assessment"


def _staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("desk/assessment/", _staff(views.dashboard), name="dashboard"),
    path("desk/assessment/targets/", _staff(views.targets), name="targets"),
    path("desk/assessment/targets/compute/", _staff(views.targets_compute), name="targets-compute"),
    path("desk/assessment/targets/<int:target_id>/actual/", _staff(views.actual_enter), name="actual-enter"),
    path("desk/assessment/rankings/", _staff(views.rankings), name="rankings"),
    path("desk/assessment/rankings/<int:evaluation_id>/", _staff(views.ranking), name="ranking"),
    path("desk/assessment/rankings/<int:evaluation_id>/action/", _staff(views.ranking_action), name="ranking-action"),
    path("desk/assessment/rankings/<int:evaluation_id>/export.xlsx", _staff(views.export_ranking), name="ranking-xlsx"),
    path("desk/assessment/rankings/<int:evaluation_id>/report.docx", _staff(views.ranking_report), name="ranking-docx"),
    path("desk/assessment/zones/<int:zone_id>/", _staff(views.zone_detail), name="zone"),
    path("desk/assessment/whatif/", _staff(views.whatif), name="whatif"),
    path("desk/assessment/export/targets.xlsx", _staff(views.export_targets), name="targets-xlsx"),
    path("desk/assessment/export/dashboard.xlsx", _staff(views.export_dashboard), name="dashboard-xlsx"),
    path("desk/assessment/report.docx", _staff(views.report_docx), name="report-docx"),
]
