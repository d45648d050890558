import importlib.util

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_catalogue(sender, **kwargs) -> None:
    from onezone.assessment.services import indicators_load_catalogue

    indicators_load_catalogue()


class AssessmentConfig(AppConfig):
    name = "onezone.assessment"
    label = "assessment"
    verbose_name = _("目标考核与评价")

    def ready(self) -> None:
        from onezone.assessment import files, navigation  # noqa: F401  registers file policies and the sidebar

        post_migrate.connect(_load_catalogue, sender=self, dispatch_uid="assessment.catalogue")
        if importlib.util.find_spec("onezone.personnel.metrics") is not None:
            from onezone.assessment.selectors import body_target_achievement
            from onezone.personnel.metrics import register_metric

            register_metric(
                "assessment.body_target_achievement",
                label="所在机构年度目标考核得分（分）",
                fn=body_target_achievement,
            )
