"""The public front page: the zone, its parks, and the services offered to the public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from onezone.portal.registry import links
from onezone.zones.models import Zone
from onezone.zones.selectors import parks_of


def home(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.select_related("merged_town").order_by("name")[:200])
    zone = zones[0] if len(zones) == 1 else None
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
