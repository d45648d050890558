"""The company's back-office pages, under /company/ (login and staff status required)."""

from django.contrib import admin
from django.urls import path

from onezone.company import views

urlpatterns = [
    path("company/assets/new/", admin.site.admin_view(views.asset_new), name="company-asset-new"),
    path("company/assets/<int:pk>/dispose/", admin.site.admin_view(views.asset_dispose), name="company-asset-dispose"),
    path("company/leases/new/", admin.site.admin_view(views.lease_new), name="company-lease-new"),
    path("company/leases/<int:pk>/", admin.site.admin_view(views.lease_detail), name="company-lease"),
    path("company/arrears/", admin.site.admin_view(views.arrears), name="company-arrears"),
    path("company/loans/new/", admin.site.admin_view(views.loan_new), name="company-loan-new"),
    path("company/loans/<int:pk>/", admin.site.admin_view(views.loan_detail), name="company-loan"),
    path("company/projects/new/", admin.site.admin_view(views.project_new), name="company-project-new"),
    path("company/projects/<int:pk>/", admin.site.admin_view(views.project_detail), name="company-project"),
    path("company/statements/", admin.site.admin_view(views.statements), name="company-statements"),
]
