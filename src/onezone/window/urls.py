from django.urls import include, path

from onezone.window import portal_cases, views, views_documents, views_materials, views_prereview

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
    path(
        "desk/window/cases/<int:case_id>/materials/attach/",
        views_materials.case_file_attach,
        name="window-case-file-attach",
    ),
    path(
        "desk/window/cases/<int:case_id>/materials/<int:file_id>/remove/",
        views_materials.case_file_remove,
        name="window-case-file-remove",
    ),
    path("desk/window/prereviews/", views_materials.prereview_list, name="window-prereviews"),
    path("desk/window/prereviews/<int:pk>/", views_materials.prereview_desk, name="window-prereview-desk"),
    path("desk/window/applicants/", views_materials.applicant_lookup, name="window-applicant-lookup"),
    path("portal/window/prereview/", views_prereview.prereview_home, name="window-prereview-home"),
    path("portal/window/prereview/<int:pk>/", views_prereview.prereview_page, name="window-prereview"),
    path("portal/window/lookup/", views.public_lookup, name="window-public-lookup"),
    path("portal/enterprise/cases/<str:number>/", portal_cases.enterprise_case, name="window-enterprise-case"),
    path("portal/window/lookup/notices/", views_documents.public_notices, name="window-public-notices"),
    path("portal/window/rate/", views.public_rate, name="window-public-rate"),
    path("portal/window/complaint/", views.public_complaint, name="window-public-complaint"),
    path("", include("onezone.window.bundles.urls")),
    path("", include("onezone.window.centre.urls")),
]
