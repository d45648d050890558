from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.roles import Role

# Bodies, posts and people are the committee's, the personnel office's and the province's to read.
COMMITTEE = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})
ORGANISERS = COMMITTEE | {Role.HR_OFFICER, Role.PROVINCE_SUPERVISOR}

register(
    "org",
    order=20,
    title="机构与人员",
    items=[
        NavItem("机构", "admin:org_body_changelist", "account_tree", ORGANISERS),
        NavItem("岗位", "admin:org_post_changelist", "badge", ORGANISERS, oversight=False),
        NavItem("人员", "admin:org_person_changelist", "group", ORGANISERS),
        NavItem("交叉任职", "admin:org_person_cross", "sync_alt", ORGANISERS),
        NavItem("事务归口规则", "admin:org_routingrule_changelist", "alt_route", COMMITTEE, oversight=False),
        NavItem("会议", "admin:org_meeting_changelist", "groups", COMMITTEE),
        NavItem("会议督办任务", "admin:org_followuptask_changelist", "task_alt"),
    ],
)


def _my_tasks(request, zone_id):
    from django.utils import timezone

    from onezone.org.selectors import open_tasks_for

    today = timezone.localdate()
    tasks = list(open_tasks_for(request.user, zone_id)[:10])
    if not tasks:
        return None
    return Panel(
        title="我的会议督办任务",
        headers=["任务", "牵头单位", "完成时限", "会议"],
        rows=[
            PanelRow(
                cells=[t.description, t.owner_body.name, t.deadline.isoformat(), t.agenda_item.meeting.title],
                link=f"/admin/org/followuptask/{t.pk}/change/",
                tone="danger" if t.deadline < today else "",
            )
            for t in tasks
        ],
    )


register_panel("org.tasks", group="work", order=50, build=_my_tasks)
