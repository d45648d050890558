from django.urls import path

from onezone.window.centre import views

urlpatterns = [
    path("desk/window/centre/", views.centre_page, name="window-centre"),
]
