import importlib.util

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from onezone.api.api import api
from onezone.core import calendar_page
from onezone.core import files as core_files
from onezone.core import views as core_views
from onezone.portal import views as portal_views

admin.site.site_header = "OneZone"
admin.site.site_title = "OneZone 开发区综合管理平台"
admin.site.index_title = "工作台"

urlpatterns = [
    path("", portal_views.home, name="portal-home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("zone/switch/", core_views.zone_switch, name="zone-switch"),
    path("desk/calendar/import/", calendar_page.calendar_import_page, name="calendar-import"),
    # Stored files: only through the download view, which applies each file's read policy.
    # MEDIA_URL is never served, not even in development (docs/security.md).
    path(
        "files/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field>/",
        core_files.file_download,
        name="file-download",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Errors no view answered itself: Chinese pages in the site's look (core.error_pages).
handler400 = "onezone.core.error_pages.bad_request"
handler403 = "onezone.core.error_pages.permission_denied"
handler404 = "onezone.core.error_pages.page_not_found"
handler500 = "onezone.core.error_pages.server_error"

# Each app may contribute public pages (portal) and back-office pages through its own urls module.
for _config in apps.get_app_configs():
    if _config.name.startswith("onezone.") and importlib.util.find_spec(f"{_config.name}.urls"):
        urlpatterns.append(path("", include(f"{_config.name}.urls")))
