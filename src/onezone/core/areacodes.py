"""Administrative division codes (GB/T 2260) the platform knows by name.

Pure data, no Django. ``PROVINCES`` is the fixed list of province-level codes (the first two
digits of every six-digit division code); ``KNOWN`` names the few full codes the demo uses.
The structural check built on this list lives in :mod:`onezone.core.codes`.
"""

from __future__ import annotations

PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

KNOWN: dict[str, str] = {
    "620000": "甘肃省",
    "620100": "兰州市",
    "620300": "金昌市",
    "620302": "金川区",
    "620321": "永昌县",
}


def is_province_code(prefix: str) -> bool:
    """Return whether ``prefix`` is exactly one of the two-digit province-level codes."""
    return prefix in PROVINCES


def area_name(code: str) -> str | None:
    """Return the name of a six-digit division code, or ``None`` when it is not known here.

    A code listed in ``KNOWN`` gets its own name; a province-level code ``XX0000`` gets the
    province's name; any other code, well-formed or not, gets ``None``. Surrounding whitespace
    is ignored.
    """
    code = code.strip()
    if code in KNOWN:
        return KNOWN[code]
    if len(code) == 6 and code.endswith("0000"):
        return PROVINCES.get(code[:2])
    return None
