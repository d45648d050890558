from django.contrib.auth.views import LogoutView
from django.urls import path

from onezone.portal import verify

urlpatterns = [
    # Signing out of the portal (enterprise users and staff alike) is a POST from the header's button.
    path("portal/logout/", LogoutView.as_view(next_page="/"), name="portal-logout"),
    path("portal/verify/", verify.verify_page, name="document-verify"),
    path("portal/verify/<str:code>/", verify.verify_page, name="document-verify-code"),
]
