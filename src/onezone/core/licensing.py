"""Facts of the Administrative Licensing Law (行政许可法) that several modules share. Pure data."""

# Art. 45: time for these procedures is not counted in the licensing limit.
SPECIAL_PROCEDURES: dict[str, str] = {
    "hearing": "听证",
    "tendering": "招标",
    "auction": "拍卖",
    "inspection": "检验",
    "testing": "检测",
    "quarantine": "检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
}
