from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "onezone.investment"
    label = "investment"
    verbose_name = _("招商引资")

    def ready(self) -> None:
        import importlib.util

        from onezone.investment import files, navigation  # noqa: F401  registers file policies and the sidebar

        if importlib.util.find_spec("onezone.support.chains") is not None:
            from onezone.investment.models import ChainNode
            from onezone.support.chains import ChainLink, register_chain_links

            def _chain_links(zone_ids):
                rows = ChainNode.objects.filter(zone_id__in=list(zone_ids)).order_by(
                    "zone_id", "chain__order", "chain__name", "order", "id"
                )
                return [
                    ChainLink(
                        id=n["id"],
                        zone_id=n["zone_id"],
                        chain_id=n["chain_id"],
                        chain_name=n["chain__name"],
                        name=n["name"],
                        stage=n["stage"],
                        industry_code=n["industry_code"],
                        parent_id=n["parent_id"],
                    )
                    for n in rows.values(
                        "id", "zone_id", "chain_id", "chain__name", "name", "stage", "industry_code", "parent_id"
                    )
                ]

            register_chain_links(_chain_links)

        if importlib.util.find_spec("onezone.personnel.metrics") is not None:
            from onezone.investment.selectors import officer_funds_in_place
            from onezone.personnel.metrics import register_metric

            def _officer_funds(person, start, end):
                user = getattr(person, "user", None)
                return None if user is None else officer_funds_in_place(user=user, start=start, end=end)

            register_metric("investment.officer_funds_in_place", label="负责项目到位资金（元）", fn=_officer_funds)
