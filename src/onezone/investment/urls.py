from django.urls import path

from onezone.investment import views

urlpatterns = [
    path("desk/investment/", views.pipeline_view, name="investment-pipeline"),
    path("desk/investment/projects/<int:pk>/", views.project_view, name="investment-project"),
    path("desk/investment/projects/<int:pk>/<slug:action>/", views.project_action, name="investment-project-action"),
    path("desk/investment/figures/", views.figures_view, name="investment-figures"),
    path("desk/investment/chains/", views.chains_view, name="investment-chains"),
    path("desk/investment/chains/targets.xlsx", views.targets_export, name="investment-targets-export"),
    path("desk/investment/chains/<int:pk>/", views.chain_view, name="investment-chain"),
    path("desk/investment/agent/", views.agent_view, name="investment-agent"),
    path("desk/investment/awards/", views.awards_view, name="investment-awards"),
    path("desk/investment/awards/<int:pk>/<slug:action>/", views.award_action, name="investment-award-action"),
]
