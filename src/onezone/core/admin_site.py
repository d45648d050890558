"""Look and navigation of the back office (django-unfold). Imported by the settings."""

from django.templatetags.static import static
from django.urls import reverse_lazy

UNFOLD = {
    "SITE_TITLE": "OneZone 开发区综合管理平台",
    "SITE_HEADER": "OneZone",
    "SITE_SUBHEADER": "一区多园 · 综合管理",
    "SITE_URL": "/",
    "SITE_SYMBOL": "apartment",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "SHOW_LANGUAGES": False,
    "ENVIRONMENT": "onezone.core.admin_site.environment",
    "DASHBOARD_CALLBACK": "onezone.core.dashboard.workbench",
    "LOGIN": {"redirect_after": lambda request: reverse_lazy("admin:index")},
    "STYLES": [lambda request: static("onezone/onezone.css")],
    "SCRIPTS": [lambda request: static("onezone/onezone.js")],
    "COLORS": {
        "primary": {
            "50": "239 246 255",
            "100": "219 234 254",
            "200": "191 219 254",
            "300": "147 197 253",
            "400": "96 165 250",
            "500": "59 130 246",
            "600": "37 99 235",
            "700": "29 78 216",
            "800": "30 64 175",
            "900": "30 58 138",
            "950": "23 37 84",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": "onezone.core.admin_site.show_all_applications",
        "navigation": "onezone.core.navigation.sidebar",
    },
}


def environment(request):
    """A badge in the header: demo sites say so on every page."""
    from django.conf import settings

    if getattr(settings, "ONEZONE_DEMO", False):
        return ["演示数据", "warning"]
    return None


def show_all_applications(request) -> bool:
    return bool(request.user.is_superuser)
