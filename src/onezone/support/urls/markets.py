"""Pages of 找市场 / 找订单: the enterprise's needs, offers and matches; the desk's lists and the local supply rate."""

from django.urls import path

from onezone.support.urls import markets_views as views

urlpatterns: list = [
    path("portal/support/markets/", views.portal_markets, name="support-portal-markets"),
    path("portal/support/markets/new/", views.portal_listing_new, name="support-portal-listing-new"),
    path("desk/support/markets/", views.desk_listings, name="support-desk-listings"),
    path("desk/support/markets/matches/", views.desk_matches, name="support-desk-matches"),
    path("desk/support/markets/events/", views.desk_events, name="support-desk-events"),
    path("desk/support/markets/events/<int:pk>/", views.desk_event, name="support-desk-event"),
    path("desk/support/markets/supply-rate/", views.desk_supply_rate, name="support-desk-supply-rate"),
]
