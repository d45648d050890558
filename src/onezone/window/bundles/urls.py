from django.urls import path

from onezone.window.bundles import views

urlpatterns = [
    path("desk/window/bundles/", views.bundle_list, name="window-bundles"),
    path("desk/window/bundles/<int:bundle_id>/apply/", views.bundle_apply, name="window-bundle-apply"),
    path("desk/window/bundles/cases/<int:bundle_case_id>/", views.bundle_case_page, name="window-bundle-case"),
    path("desk/window/bundles/efficiency/", views.bundle_efficiency_page, name="window-bundle-efficiency"),
    path("portal/window/bundles/", views.public_bundles, name="window-public-bundles"),
    path("portal/window/bundles/<int:bundle_id>/", views.public_bundle, name="window-public-bundle"),
    path("portal/window/bundles/lookup/", views.public_bundle_lookup, name="window-public-bundle-lookup"),
]
