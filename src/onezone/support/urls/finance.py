"""Pages of 找资金: the enterprise's financing needs and fitting products; the desk's figure, needs and loans."""

from django.urls import path

from onezone.support.urls import finance_views as views

urlpatterns: list = [
    path("portal/support/finance/", views.portal_finance, name="support-portal-finance"),
    path("desk/support/finance/", views.desk_finance, name="support-desk-finance"),
    path("desk/support/finance/needs/", views.desk_needs, name="support-desk-needs"),
    path("desk/support/finance/loans/", views.desk_loans, name="support-desk-loans"),
]
