from django.urls import path

from onezone.window import views, views_documents

urlpatterns = [
    path("desk/window/", views.desk, name="window-desk"),
    path("desk/window/queue/", views.queue, name="window-queue"),
    path("desk/window/cases/<int:case_id>/", views.case_page, name="window-case"),
    path("desk/window/cases/<int:case_id>/applicant/", views.case_personal, name="window-case-personal"),
    path("desk/window/cases/<int:case_id>/notices/<slug:kind>.docx", views_documents.notice_docx, name="window-notice"),
    path(
        "desk/window/cases/<int:case_id>/notices/<slug:kind>.pdf", views_documents.notice_pdf, name="window-notice-pdf"
    ),
    path("desk/window/efficiency/", views.efficiency_page, name="window-efficiency"),
    path("desk/window/delegations/", views.delegations_page, name="window-delegations"),
    path("desk/window/follow-up/", views.follow_up_page, name="window-follow-up"),
    path("portal/window/lookup/", views.public_lookup, name="window-public-lookup"),
    path("portal/window/lookup/notices/", views_documents.public_notices, name="window-public-notices"),
    path("portal/window/rate/", views.public_rate, name="window-public-rate"),
    path("portal/window/complaint/", views.public_complaint, name="window-public-complaint"),
]
