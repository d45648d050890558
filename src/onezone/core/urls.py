"""The kernel's back-office pages: background jobs under /desk/jobs/ (login and staff status required)."""

from django.contrib import admin
from django.urls import path

from onezone.core.jobs import views

urlpatterns = [
    path("desk/jobs/", admin.site.admin_view(views.job_list), name="core-jobs"),
    path("desk/jobs/<int:job_id>/", admin.site.admin_view(views.job_detail), name="core-job"),
    path("desk/jobs/<int:job_id>/progress/", admin.site.admin_view(views.job_progress), name="core-job-progress"),
    path("desk/jobs/<int:job_id>/result/", admin.site.admin_view(views.job_result), name="core-job-result"),
    path("desk/jobs/<int:job_id>/retry/", admin.site.admin_view(views.job_retry_view), name="core-job-retry"),
]
