"""The app's pages, one module per area."""

from onezone.support.urls import finance, labour, markets, statistics

urlpatterns = markets.urlpatterns + finance.urlpatterns + labour.urlpatterns + statistics.urlpatterns
