from django.urls import path

from onezone.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("desk/enterprises/<int:pk>/", views.enterprise_page, name="desk-enterprise"),
    path("desk/enterprises/import/", views.import_page, name="desk-import"),
    path("desk/enterprises/export.xlsx", views.export_xlsx, name="desk-export"),
    path("desk/enterprises/import-template.xlsx", views.import_template, name="desk-import-template"),
    path("desk/enterprises/requests/", views.requests_desk, name="desk-requests"),
    path("desk/enterprises/requests/<int:pk>/", views.request_page, name="desk-request"),
    path("desk/enterprises/inspections/", views.inspections_register, name="desk-inspections"),
    path("desk/enterprises/inspections/calendar/", views.inspection_calendar, name="desk-inspection-calendar"),
    path("portal/enterprise/login/", views.PortalLoginView.as_view(), name="portal-login"),
    path("portal/enterprise/", views.portal_home, name="portal-home"),
    path("portal/enterprise/requests/new/", views.portal_request_new, name="portal-request-new"),
    path("portal/enterprise/requests/<str:number>/", views.portal_request, name="portal-request"),
]
