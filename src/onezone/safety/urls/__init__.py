"""The app's pages, one module per area."""

from onezone.safety.urls import base, operations

urlpatterns = base.urlpatterns + operations.urlpatterns
