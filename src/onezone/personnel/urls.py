from django.urls import path

from onezone.personnel import views

urlpatterns = [
    path("desk/personnel/my-payslips/", views.my_payslips, name="personnel-my-payslips"),
    path("desk/personnel/payslips/<int:payslip_id>/", views.payslip_detail, name="personnel-payslip"),
]
