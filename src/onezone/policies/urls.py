from django.urls import path

from onezone.policies import views

app_name = "policies"

urlpatterns = [
    path("portal/policies/", views.policy_list, name="list"),
    path("portal/policies/<int:policy_id>/", views.policy_detail, name="detail"),
    path("portal/policies/mine/", views.my_policies, name="mine"),
    path("portal/policies/grants/<int:grant_id>/", views.grant_detail, name="grant"),
    path("portal/policies/notices/<int:notice_id>/", views.notice_detail, name="notice"),
]
