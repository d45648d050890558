"""Pages of 找人才 / 找员工: public jobs, the enterprise's jobs and shared labour, the desk's lists."""

from django.urls import path

from onezone.support.urls import labour_views as views

urlpatterns: list = [
    path("portal/jobs/", views.public_jobs, name="support-jobs"),
    path("portal/jobs/<int:job_id>/", views.public_job, name="support-job"),
    path("portal/enterprise/jobs/", views.portal_jobs, name="support-portal-jobs"),
    path("portal/enterprise/jobs/<int:job_id>/", views.portal_job, name="support-portal-job"),
    path("portal/enterprise/labour/", views.portal_labour, name="support-portal-labour"),
    path("desk/support/jobs/", views.desk_jobs, name="support-desk-jobs"),
    path("desk/support/labour/", views.desk_labour, name="support-desk-labour"),
    path("desk/support/talent/", views.desk_talent, name="support-desk-talent"),
]
