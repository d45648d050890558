from django.urls import path

from onezone.portal import verify

urlpatterns = [
    path("portal/verify/", verify.verify_page, name="document-verify"),
    path("portal/verify/<str:code>/", verify.verify_page, name="document-verify-code"),
]
