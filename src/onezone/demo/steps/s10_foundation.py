"""Demo step 1: the Yongchang zone, its parks and town, bodies, people, routing, one user per role.

Everything here is demo data (演示数据): names of people are invented; the zone's structure follows
its published reform (一区两园, 区政合一).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, MatterDomain, Person, Post, RoutingRule
from onezone.org.services import meeting_record
from onezone.zones.models import Town
from onezone.zones.services import industries_load_catalogue, park_create, zone_create

USERS = [
    # username, surname, given name, role, body key
    ("demo-admin", "管", "理员", Role.ADMIN, "office"),
    ("demo-leader", "王", "建国", Role.LEADER, "committee"),
    ("demo-depthead", "李", "淑芬", Role.DEPT_HEAD, "economy"),
    ("demo-clerk", "张", "晓燕", Role.CLERK, "service"),
    ("demo-reviewer", "赵", "立新", Role.REVIEWER, "service"),
    ("demo-agent", "陈", "志强", Role.AGENT, "investment"),
    ("demo-investment", "刘", "海涛", Role.INVESTMENT_OFFICER, "investment"),
    ("demo-hr", "孙", "丽娟", Role.HR_OFFICER, "office"),
    ("demo-company", "周", "文博", Role.COMPANY_STAFF, "company"),
    ("demo-safety", "马", "国栋", Role.SAFETY_OFFICER, "emergency"),
    ("demo-enterprise", "吴", "国庆", Role.ENTERPRISE, None),
    ("demo-province", "郑", "明", Role.PROVINCE_SUPERVISOR, None),
]

BODIES = [
    # key, name, short, kind, parent key, headcount, functions
    (
        "committee",
        "甘肃永昌工业园区管理委员会",
        "管委会",
        Body.Kind.COMMITTEE,
        None,
        45,
        "统筹园区规划建设、招商引资、项目服务和经济管理；承接县级赋予的经济管理权限；区政合一，与河西堡镇一套班子。",
    ),
    (
        "office",
        "党政办公室",
        "党政办",
        Body.Kind.DEPARTMENT,
        "committee",
        8,
        "综合协调、文秘督办、人事薪酬、绩效考核、机关事务。",
    ),
    (
        "economy",
        "经济发展局",
        "经发局",
        Body.Kind.DEPARTMENT,
        "committee",
        9,
        "园区经济运行监测、项目审批服务、规划建设、统计、目标考核。",
    ),
    (
        "investment",
        "招商服务局",
        "招商局",
        Body.Kind.DEPARTMENT,
        "committee",
        8,
        "产业链招商、客商接洽、项目代办、企业服务、招商引资奖励兑现。",
    ),
    (
        "ecology",
        "生态环境局",
        "生态局",
        Body.Kind.DEPARTMENT,
        "committee",
        6,
        "园区生态环境保护、环评服务、污染防治协调。",
    ),
    (
        "emergency",
        "应急管理局",
        "应急局",
        Body.Kind.DEPARTMENT,
        "committee",
        7,
        "园区安全生产综合监管、危险化学品企业安全服务、应急救援协调。",
    ),
    (
        "enforcement",
        "园区应急管理综合行政执法大队",
        "执法大队",
        Body.Kind.ENFORCEMENT,
        "emergency",
        10,
        "依法承担委托的安全生产、危险化学品领域行政处罚、行政检查和行政强制。",
    ),
    (
        "service",
        "园区政务服务中心",
        "政务中心",
        Body.Kind.SERVICE_CENTRE,
        "committee",
        6,
        "一窗受理、一站办结；服务承诺、一次性告知、限时办结、投诉受理；项目全程代办。",
    ),
    (
        "company",
        "永昌园区开发建设运营有限公司",
        "运营公司",
        Body.Kind.COMPANY,
        None,
        20,
        "园区国有资产投资、融资、建设和运营；标准化厂房租赁；政企分开、财务分设。",
    ),
    (
        "town",
        "河西堡镇人民政府",
        "河西堡镇",
        Body.Kind.TOWN,
        None,
        40,
        "社会事务、民生保障、社会治理、基层党建；与园区管委会区政合一。",
    ),
    (
        "market",
        "永昌县市场监督管理局",
        "县市场监管局",
        Body.Kind.SECTOR,
        None,
        0,
        "市场主体登记、市场监管（行业监管）。",
    ),
    ("resources", "永昌县自然资源局", "县自然资源局", Body.Kind.SECTOR, None, 0, "国土空间规划、用地审批与监管。"),
    ("housing", "永昌县住房和城乡建设局", "县住建局", Body.Kind.SECTOR, None, 0, "建筑工程施工许可与质量安全监管。"),
    ("safety", "永昌县应急管理局", "县应急局", Body.Kind.SECTOR, None, 0, "安全生产综合监管（行业监管）。"),
    ("environment", "金昌市生态环境局永昌分局", "永昌生态环境分局", Body.Kind.SECTOR, None, 0, "生态环境监管执法。"),
]

POSTS = [
    # body key, title, category, grade, head
    ("committee", "党工委书记", "management", "正科级", True),
    ("committee", "管委会主任", "management", "正科级", True),
    ("committee", "管委会副主任", "management", "副科级", False),
    ("office", "主任", "management", "股级", True),
    ("office", "人事专员", "management", "科员", False),
    ("office", "综合管理员", "management", "科员", False),
    ("economy", "局长", "management", "股级", True),
    ("economy", "项目服务专员", "professional", "中级", False),
    ("investment", "局长", "management", "股级", True),
    ("investment", "招商专员", "professional", "中级", False),
    ("investment", "项目代办员", "professional", "初级", False),
    ("ecology", "局长", "management", "股级", True),
    ("emergency", "局长", "management", "股级", True),
    ("emergency", "安全监管员", "professional", "中级", False),
    ("enforcement", "大队长", "management", "股级", True),
    ("service", "主任", "management", "股级", True),
    ("service", "窗口受理员", "professional", "初级", False),
    ("service", "审查员", "professional", "中级", False),
    ("company", "董事长", "management", "公司高管", True),
    ("company", "资产管理员", "professional", "中级", False),
    ("town", "镇党委书记", "management", "正科级", True),
    ("town", "镇长", "management", "正科级", True),
    ("town", "副镇长", "management", "副科级", False),
]

PEOPLE = [
    # name, id number, mobile, user, [(body, post, start, concurrent)]
    (
        "王建国",
        "620321197203150017",
        "13909350001",
        "demo-leader",
        [("committee", "党工委书记", "2021-03-01", False), ("town", "镇党委书记", "2021-03-01", True)],
    ),
    (
        "马红梅",
        "620321197806220028",
        "13909350002",
        None,
        [("committee", "管委会主任", "2021-03-01", False), ("town", "镇长", "2021-03-01", True)],
    ),
    (
        "何永平",
        "620321198011080035",
        "13909350003",
        None,
        [("committee", "管委会副主任", "2021-04-15", False), ("town", "副镇长", "2021-04-15", True)],
    ),
    ("管理员", "", "", "demo-admin", [("office", "综合管理员", "2022-01-01", False)]),
    ("杨志华", "62032119850305004X", "13909350005", None, [("office", "主任", "2021-05-01", False)]),
    ("孙丽娟", "620321198909160066", "13909350006", "demo-hr", [("office", "人事专员", "2022-01-01", False)]),
    ("李淑芬", "620321198203110021", "13909350007", "demo-depthead", [("economy", "局长", "2021-05-01", False)]),
    ("高鹏", "620321199001200010", "13909350008", None, [("economy", "项目服务专员", "2022-03-01", False)]),
    ("钱国栋", "620321198107070034", "13909350009", None, [("investment", "局长", "2021-05-01", False)]),
    (
        "刘海涛",
        "620321198812120053",
        "13909350010",
        "demo-investment",
        [("investment", "招商专员", "2021-06-01", False)],
    ),
    ("陈志强", "620321199205050076", "13909350011", "demo-agent", [("investment", "项目代办员", "2022-02-01", False)]),
    ("冯雪", "620321198708080024", "13909350012", None, [("ecology", "局长", "2021-05-01", False)]),
    (
        "蒋卫东",
        "620321197912250012",
        "13909350013",
        None,
        [("emergency", "局长", "2021-05-01", False), ("enforcement", "大队长", "2021-05-01", True)],
    ),
    ("马国栋", "620321198811060032", "13909350019", "demo-safety", [("emergency", "安全监管员", "2022-03-01", False)]),
    ("韩梅", "620321198604140047", "13909350014", None, [("service", "主任", "2021-05-01", False)]),
    ("张晓燕", "620321199307030029", "13909350015", "demo-clerk", [("service", "窗口受理员", "2021-07-01", False)]),
    ("赵立新", "620321198510100058", "13909350016", "demo-reviewer", [("service", "审查员", "2021-07-01", False)]),
    ("周文博", "620321198302280019", "13909350017", "demo-company", [("company", "董事长", "2021-08-01", False)]),
    ("吕建军", "620321198412180031", "13909350018", None, [("company", "资产管理员", "2022-04-01", False)]),
]

ROUTING = [
    # category, name, domain, body key, note
    ("civil_affairs", "民政救助与社会保障", MatterDomain.SOCIAL, "town", "低保、救助、养老等社会事务归镇"),
    ("household", "户籍与人口服务", MatterDomain.SOCIAL, "town", ""),
    ("community", "社区治理与信访", MatterDomain.SOCIAL, "town", ""),
    ("project_approval", "项目审批服务", MatterDomain.ECONOMIC, "service", "园区一窗受理"),
    ("investment", "招商引资", MatterDomain.ECONOMIC, "investment", ""),
    ("enterprise_service", "企业服务与诉求", MatterDomain.ECONOMIC, "investment", "企业有事不撒手"),
    ("economic_operation", "经济运行与要素保障", MatterDomain.ECONOMIC, "economy", "用地、用电、用水等要素协调"),
    ("window_service", "窗口服务投诉", MatterDomain.ECONOMIC, "service", "对窗口服务的投诉"),
    ("market_supervision", "市场监管", MatterDomain.SUPERVISION, "market", "综合监管归行业"),
    ("work_safety", "安全生产监管", MatterDomain.SUPERVISION, "enforcement", "委托园区执法大队"),
    ("environment_supervision", "生态环境监管", MatterDomain.SUPERVISION, "environment", ""),
    ("construction_supervision", "建筑工程质量安全监管", MatterDomain.SUPERVISION, "housing", ""),
    ("land_supervision", "土地利用监管", MatterDomain.SUPERVISION, "resources", ""),
]


def load(ctx) -> None:
    from onezone.demo.loader import DEMO_PASSWORD

    industries_load_catalogue()
    root = _user("demo-admin", "管", "理员", superuser=True)
    town = Town.objects.create(name="河西堡镇", area_code="620321", population=36000)
    zone = zone_create(
        actor=root,
        name="甘肃永昌工业园区",
        code="yongchang",
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("9.80"),
        planned_area_km2=Decimal("78.40"),
        merged_town=town,
        is_demo=True,
        established=dt.date(2006, 5, 1),
        reform_date=dt.date(2021, 3, 1),
    )
    ctx.zone = zone
    ctx.parks["hexipu"] = park_create(
        actor=root,
        zone=zone,
        name="河西堡工业园",
        code="hexipu",
        planned_area_km2=Decimal("52.60"),
        built_area_km2=Decimal("18.30"),
        industry_codes=["C32", "C26", "C25", "D44", "C38"],
        industry_labels="有色冶金及有色金属新材料、化工、新能源",
        positioning="依托金川集团，发展有色金属冶炼及新材料、煤化工、硫磷化工、氯碱化工、氟化工、精细化工和新能源。",
        address="永昌县河西堡镇",
    )
    ctx.parks["dongzhai"] = park_create(
        actor=root,
        zone=zone,
        name="东寨工业园",
        code="dongzhai",
        planned_area_km2=Decimal("25.80"),
        built_area_km2=Decimal("6.10"),
        industry_codes=["C265", "C29", "C13", "C14"],
        industry_labels="生物可降解新材料、农畜产品深加工",
        positioning="发展生物可降解新材料和农畜产品精深加工，错位承接河西堡工业园配套产业。",
        address="永昌县东寨镇",
    )
    RoleGrant.objects.create(user=root, zone=zone, role=Role.ADMIN)

    for key, name, short, kind, parent, headcount, functions in BODIES:
        ctx.bodies[key] = Body.objects.create(
            zone=zone,
            name=name,
            short_name=short,
            kind=kind,
            parent=ctx.bodies.get(parent),
            headcount_quota=headcount,
            functions=functions,
            order=len(ctx.bodies) + 1,
        )
    posts = {}
    for body_key, title, category, grade, head in POSTS:
        posts[(body_key, title)] = Post.objects.create(
            zone=zone, body=ctx.bodies[body_key], title=title, category=category, grade=grade, is_head=head
        )

    for username, surname, given, role, _body in USERS:
        user = root if username == "demo-admin" else _user(username, surname, given, staff=role != Role.ENTERPRISE)
        ctx.users[role.value] = user
        if role == Role.PROVINCE_SUPERVISOR:
            RoleGrant.objects.create(user=user, zone=None, role=role)
        elif role != Role.ADMIN:
            RoleGrant.objects.create(user=user, zone=zone, role=role)
    for user in User.objects.filter(username__startswith="demo-"):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])

    for name, id_number, mobile, username, appointments in PEOPLE:
        person = Person.objects.create(
            zone=zone,
            name=name,
            id_number=id_number,
            mobile=mobile,
            user=User.objects.get(username=username) if username else None,
        )
        ctx.people[name] = person
        for body_key, title, start, concurrent in appointments:
            Appointment.objects.create(
                zone=zone,
                person=person,
                post=posts[(body_key, title)],
                start=dt.date.fromisoformat(start),
                is_concurrent=concurrent,
            )

    for category, name, domain, body_key, note in ROUTING:
        RoutingRule.objects.create(
            zone=zone, category=category, category_name=name, domain=domain, body=ctx.bodies[body_key], note=note
        )

    leader = ctx.users[Role.LEADER.value]
    meeting_record(
        actor=leader,
        zone_id=zone.pk,
        title="2026年第21次主任办公会议",
        kind="directors",
        held_on=dt.date(2026, 11, 10),
        chair=ctx.people["王建国"],
        minutes_number="永工管纪〔2026〕21号",
        agenda=[
            {
                "topic": "研究东寨工业园标准化厂房二期建设方案",
                "presenter": ctx.bodies["company"],
                "approved": True,
                "decision": "原则同意建设方案，由运营公司细化融资计划后报批。",
                "amount": Decimal("36000000"),
                "tasks": [
                    {
                        "description": "细化标准化厂房二期融资计划",
                        "owner_body": ctx.bodies["company"],
                        "owner": ctx.people["周文博"],
                        "deadline": dt.date(2026, 11, 30),
                    }
                ],
            },
            {
                "topic": "推进氟化工产业链补链项目签约",
                "presenter": ctx.bodies["investment"],
                "approved": True,
                "decision": "由招商服务局牵头，12月底前完成项目签约。",
                "tasks": [
                    {
                        "description": "完成氟化工补链项目签约",
                        "owner_body": ctx.bodies["investment"],
                        "owner": ctx.people["刘海涛"],
                        "deadline": dt.date(2026, 12, 31),
                    },
                    {
                        "description": "梳理待签约项目用地需求",
                        "owner_body": ctx.bodies["economy"],
                        "owner": ctx.people["李淑芬"],
                        "deadline": dt.date(2026, 11, 20),
                    },
                ],
            },
        ],
    )
    ctx.say(
        f"开发区：{zone.name}（演示数据），园区 2 个，机构 {len(ctx.bodies)} 个，"
        f"人员 {len(ctx.people)} 名，演示账号 {len(USERS)} 个"
    )


def _user(username: str, surname: str, given: str, *, staff: bool = True, superuser: bool = False) -> User:
    # Chinese names read surname first: the whole name goes in first_name so every page shows it in order.
    return User.objects.create(
        username=username,
        last_name="",
        first_name=surname + given,
        is_staff=staff or superuser,
        is_superuser=superuser,
        email=f"{username}@demo.invalid",
    )
