from django.urls import path

from onezone.notify import views

app_name = "notify"

urlpatterns = [
    path("desk/notify/", views.desk_inbox, name="desk-inbox"),
    path("desk/notify/<int:pk>/read/", views.desk_read, name="desk-read"),
    path("desk/notify/read-all/", views.desk_read_all, name="desk-read-all"),
    path("desk/notify/preferences/", views.desk_preferences, name="desk-preferences"),
    path("desk/notify/failures/", views.desk_failures, name="desk-failures"),
    path("desk/notify/failures/<int:pk>/retry/", views.desk_retry, name="desk-retry"),
    path("portal/notify/", views.portal_inbox, name="portal-inbox"),
    path("portal/notify/<int:pk>/read/", views.portal_read, name="portal-read"),
    path("portal/notify/read-all/", views.portal_read_all, name="portal-read-all"),
    path("portal/notify/preferences/", views.portal_preferences, name="portal-preferences"),
]
