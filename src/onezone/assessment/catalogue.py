"""The default indicator catalogue for targets and the default evaluation tree (data, not code)."""

from __future__ import annotations

# key, name, unit, direction, source, cumulative, order
INDICATORS = [
    ("funds_in_place", "到位资金", "万元", "higher", "investment.funds_in_place", True, 10),
    ("start_rate", "重点项目开工率", "%", "higher", "investment.start_rate", False, 20),
    ("cumulative_investment", "累计完成投资", "万元", "higher", "investment.cumulative_completed", True, 30),
    ("industrial_output", "规上工业总产值", "万元", "higher", "enterprises.output", True, 40),
    ("tax", "税收收入", "万元", "higher", "enterprises.tax", True, 50),
    ("new_enterprises", "新增入驻企业", "家", "higher", "enterprises.new_enterprises", True, 60),
    ("employment", "企业从业人员", "人", "higher", "enterprises.employees", False, 70),
    ("on_time_rate", "办件按时办结率", "%", "higher", "window.on_time_rate", False, 80),
    ("request_satisfaction", "企业诉求满意率", "%", "higher", "enterprises.request_satisfaction", False, 90),
    ("inspections_avoided", "免于重复检查次数", "次", "higher", "enterprises.inspections_avoided", True, 100),
    ("energy_per_value_added", "单位工业增加值能耗", "吨标准煤/万元", "lower", "manual", False, 110),
    ("overdue_cases", "超期办件", "件", "lower", "window.overdue_now", False, 120),
]

# The Ministry of Commerce's 2021 scheme for national economic-technological zones, five
# first-level indicators with sub-indicators. (key, parent, name, weight %, direction, method, unit, source)
DEFAULT_TREE = [
    ("composite", None, "综合发展水平", "100", "higher", "minmax", "", ""),
    ("opening", "composite", "对外开放", "30", "higher", "minmax", "", ""),
    ("fdi", "opening", "实际使用外资", "50", "higher", "minmax", "万美元", ""),
    ("trade", "opening", "进出口总额", "50", "higher", "minmax", "亿元", ""),
    ("quality", "composite", "发展质量", "30", "higher", "minmax", "", ""),
    (
        "output_per_km2",
        "quality",
        "单位面积工业总产值",
        "40",
        "higher",
        "minmax",
        "万元/平方公里",
        "per_km2:enterprises.output",
    ),
    ("tax_per_km2", "quality", "单位面积税收", "30", "higher", "minmax", "万元/平方公里", "per_km2:enterprises.tax"),
    ("value_added_growth", "quality", "规上工业增加值增速", "30", "higher", "zscore", "%", ""),
    ("innovation", "composite", "科技创新", "15", "higher", "minmax", "", ""),
    ("rd_intensity", "innovation", "研发经费投入强度", "50", "higher", "ratio", "%", "enterprises.rd_intensity"),
    ("hightech", "innovation", "高新技术企业数", "50", "higher", "minmax", "家", ""),
    ("green", "composite", "绿色发展", "15", "higher", "minmax", "", ""),
    ("energy_intensity", "green", "单位工业增加值能耗", "50", "lower", "minmax", "吨标准煤/万元", ""),
    ("co2_intensity", "green", "单位工业增加值二氧化碳排放", "50", "lower", "minmax", "吨/万元", ""),
    ("coordination", "composite", "统筹协调", "10", "higher", "minmax", "", ""),
    ("new_jobs", "coordination", "城镇新增就业", "60", "higher", "zscore", "人", ""),
    ("on_time_rate", "coordination", "政务服务按时办结率", "40", "higher", "ratio", "%", "window.on_time_rate"),
]

# Indicators that cannot exceed a value by their nature: a share of cases is at most 100 %.
MAXIMUMS = {"on_time_rate": "100"}
