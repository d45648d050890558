"""Pages of special work, closed management, emergency and the park's risk level; the enterprise's own."""

from django.urls import path

from onezone.safety import operations_portal as portal
from onezone.safety import operations_views as views

urlpatterns: list = [
    path("desk/safety/", views.desk, name="safety-desk"),
    path("desk/safety/work/", views.work_list, name="safety-work-list"),
    path("desk/safety/work/<int:pk>/", views.work_page, name="safety-work"),
    path("desk/safety/gates/", views.gates_page, name="safety-gates"),
    path("desk/safety/gates/template.xlsx", views.gates_template, name="safety-gates-template"),
    path("desk/safety/emergency/", views.emergency_page, name="safety-emergency"),
    path("desk/safety/risk/", views.risk_page, name="safety-risk"),
    path("desk/safety/enterprises/<int:pk>/", views.enterprise_page, name="safety-enterprise"),
    path("portal/safety/", portal.home, name="safety-portal"),
    path("portal/safety/work/new/", portal.work_new, name="safety-portal-work"),
    path("portal/safety/plans/new/", portal.plan_new, name="safety-portal-plan"),
    path("portal/safety/drills/new/", portal.drill_new, name="safety-portal-drill"),
    path("portal/safety/incidents/new/", portal.incident_new, name="safety-portal-incident"),
]
