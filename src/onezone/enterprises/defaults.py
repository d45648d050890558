"""The default request categories, tags and inspection rule a zone starts with. All editable data."""

from __future__ import annotations

# code, name, routing category (org.RoutingRule.category), ack / respond / resolve working days, seed words
REQUEST_CATEGORIES: list[tuple[str, str, str, int, int, int, tuple[str, ...]]] = [
    (
        "policy",
        "政策咨询与兑现",
        "enterprise_service",
        1,
        3,
        15,
        ("政策", "补贴", "奖励", "兑现", "申报", "扶持", "优惠", "减免", "退税", "奖补", "认定", "专精特新"),
    ),
    (
        "market",
        "市场开拓",
        "enterprise_service",
        1,
        5,
        20,
        ("市场", "销售", "销路", "展会", "客户", "品牌", "推广", "渠道", "开拓"),
    ),
    (
        "orders",
        "订单与产销对接",
        "enterprise_service",
        1,
        5,
        20,
        ("订单", "供货", "采购", "配套", "产销", "对接", "合同", "供应链", "上下游"),
    ),
    (
        "talent",
        "人才引进",
        "enterprise_service",
        1,
        5,
        20,
        ("人才", "引进", "专家", "技术人员", "工程师", "博士", "研究生", "住房", "子女", "入学", "落户"),
    ),
    (
        "workers",
        "用工招聘",
        "enterprise_service",
        1,
        3,
        15,
        ("用工", "招聘", "工人", "员工", "劳动力", "技工", "缺工", "培训", "社保", "招工"),
    ),
    (
        "funding",
        "融资与资金",
        "economic_operation",
        1,
        5,
        20,
        ("融资", "贷款", "银行", "资金", "担保", "授信", "周转", "利率", "抵押", "续贷", "贴息"),
    ),
    (
        "land",
        "用地与厂房",
        "economic_operation",
        1,
        5,
        30,
        ("用地", "土地", "厂房", "地块", "红线", "产权", "不动产", "租赁", "扩建", "仓库"),
    ),
    (
        "approvals",
        "审批手续",
        "project_approval",
        1,
        3,
        15,
        ("审批", "手续", "许可", "备案", "环评", "施工许可", "证照", "办证", "验收", "立项", "核准"),
    ),
    (
        "utilities",
        "水电气热与配套",
        "economic_operation",
        1,
        3,
        10,
        (
            "用电",
            "供电",
            "停电",
            "电价",
            "电力",
            "用水",
            "供水",
            "天然气",
            "供气",
            "供热",
            "道路",
            "排水",
            "管网",
            "网络",
        ),
    ),
    (
        "safety_env",
        "安全生产与环保",
        "work_safety",
        1,
        3,
        15,
        ("安全", "隐患", "消防", "危化品", "危险化学品", "环保", "排放", "污染", "应急", "废水", "废气", "固废"),
    ),
    ("other", "其他", "enterprise_service", 1, 5, 20, ("其他", "建议", "反映", "意见")),
]

# Each seed word counts as this many requests' worth of evidence for its category.
SEED_WEIGHT = 3.0

FALLBACK_CATEGORY = "other"

TAGS: list[tuple[str, str]] = [
    ("zjtx", "专精特新"),
    ("hightech", "高新技术企业"),
    ("tech_sme", "科技型中小企业"),
    ("above_scale_industry", "规上工业"),
    ("foreign_trade", "外贸企业"),
    ("key_project", "重点项目企业"),
]
