from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "onezone.investment"
    label = "investment"
    verbose_name = _("招商引资")

    def ready(self) -> None:
        import importlib.util

        from onezone.investment import files, navigation  # noqa: F401  registers file policies and the sidebar

        if importlib.util.find_spec("onezone.personnel.metrics") is not None:
            from onezone.investment.selectors import officer_funds_in_place
            from onezone.personnel.metrics import register_metric

            def _officer_funds(person, start, end):
                user = getattr(person, "user", None)
                return None if user is None else officer_funds_in_place(user=user, start=start, end=end)

            register_metric("investment.officer_funds_in_place", label="负责项目到位资金（元）", fn=_officer_funds)
