from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.roles import Role

# The zone's registry is the committee's and the province's to keep; everyone else works inside it.
REGISTRY_READERS = frozenset({Role.ADMIN, Role.LEADER, Role.PROVINCE_SUPERVISOR})


def _several_zones(request) -> bool:
    from onezone.core.permissions import readable_zone_ids

    zones = readable_zone_ids(request.user)
    return zones is None or len(zones) > 1


register(
    "zones",
    order=10,
    title="开发区",
    items=[
        NavItem("工作台", "admin:index", "dashboard"),
        NavItem("开发区", "admin:zones_zone_changelist", "apartment", REGISTRY_READERS),
        NavItem("园区", "admin:zones_park_changelist", "factory", REGISTRY_READERS | {Role.INVESTMENT_OFFICER}),
        NavItem("乡镇", "admin:zones_town_changelist", "holiday_village", REGISTRY_READERS, oversight=False),
        NavItem("国民经济行业", "admin:zones_industry_changelist", "category", frozenset({Role.ADMIN})),
        NavItem("切换开发区", "zone-switch", "swap_horiz", visible=_several_zones),
    ],
)


def _parks_panel(request, zone_id):
    from onezone.zones.selectors import parks_of, zone_get

    zone = zone_get(zone_id)
    rows = [
        PanelRow(
            cells=[
                park.name,
                park.industry_labels or "、".join(i.name for i in park.leading_industries.all()),
                f"{park.planned_area_km2}",
                f"{park.built_area_km2}",
            ],
            link=f"/admin/zones/park/{park.pk}/change/",
        )
        for park in parks_of(zone_id)
    ]
    town = f"，与{zone.merged_town.name}区政合一" if zone.merged_town else ""
    return Panel(
        title=f"{zone.name}（{zone.get_level_display()}开发区{town}）",
        headers=["园区", "主导产业", "规划面积（km²）", "建成面积（km²）"],
        rows=rows,
        empty="尚未登记园区",
        wide=True,
    )


register_panel("zones.parks", group="zone", order=10, build=_parks_panel)
