"""Pages of the safety base: installations and their grading, hidden hazards, risk points."""

from django.urls import path

from onezone.safety import base_views

urlpatterns: list = [
    path("desk/safety/installations/", base_views.installations_page, name="safety-installations"),
    path("desk/safety/installations/<int:pk>/", base_views.installation_page, name="safety-installation"),
    path("desk/safety/hazards/", base_views.hazards_page, name="safety-hazards"),
    path("desk/safety/hazards/<int:pk>/", base_views.hazard_page, name="safety-hazard"),
    path("desk/safety/risk-points/", base_views.risk_points_page, name="safety-risk-points"),
]
