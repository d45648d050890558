"""The public front page: the zone, its parks, and the services offered to the public."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from onezone.core.portal_links import links
from onezone.zones.models import Zone
from onezone.zones.selectors import parks_of


def home(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.select_related("merged_town").order_by("name")[:200])
    # A site that serves one zone shows it; a province site names its home zone in the settings.
    default_code = settings.ONEZONE_DEFAULT_ZONE_CODE
    zone = next((z for z in zones if z.code == default_code), None) if default_code else None
    if zone is None and len(zones) == 1:
        zone = zones[0]
    services = []
    for link in links():
        try:
            services.append({"title": link.title, "url": reverse(link.url_name), "description": link.description})
        except NoReverseMatch:
            continue
    return render(
        request,
        "portal/home.html",
        {"zones": zones, "zone": zone, "parks": list(parks_of(zone.pk)) if zone else [], "services": services},
    )
