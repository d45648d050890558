from django.urls import path

from onezone.powers import views

urlpatterns = [
    path("portal/powers/", views.public_list, name="powers-public-list"),
    path("portal/powers/items/<int:item_id>/", views.public_item, name="powers-public-item"),
    path("portal/powers/versions/", views.public_versions, name="powers-public-versions"),
    path("portal/powers/responsibilities/", views.public_responsibilities, name="powers-public-responsibilities"),
    path("portal/powers/enforcement/", views.public_enforcement, name="powers-public-enforcement"),
]
