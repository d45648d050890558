"""The Yongchang demo's list items as data (演示数据): the full items and the tables the bulk is made from.

``FULL_ITEMS`` are written out in full (conditions, materials, limits, fees, place);
``generated_delegations`` makes the bulk of the 221 delegated powers from tables of real item names
and typical offences. Names are realistic, but the list as a whole is demo data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PLACE = "永昌工业园区政务服务中心（河西堡镇金川西路1号）"
HOURS = "工作日 上午9:00-12:00，下午14:30-18:00（冬季14:00-17:30）"
CONTACT = "0935-7520001"
COMPLAINT = "园区政务服务中心投诉电话 0935-7520012；12345政务服务便民热线"
COUNTY = "永昌县"

APPLICATION = {
    "name": "申请表",
    "necessity": "required",
    "form": "both",
    "copies": 1,
    "source": "政务服务中心领取或网上下载",
}
LICENCE = {
    "name": "营业执照（或统一社会信用代码证书）",
    "necessity": "required",
    "form": "electronic",
    "copies": 1,
    "source": "电子证照库调取",
    "standard": "在有效期内",
}
ID_CARD = {"name": "法定代表人身份证明", "necessity": "required", "form": "paper", "copies": 1, "source": "申请人自备"}
PROXY = {
    "name": "授权委托书及受托人身份证",
    "necessity": "conditional",
    "form": "paper",
    "copies": 1,
    "source": "申请人自备",
    "standard": "委托他人办理时提供",
}


def _m(name: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, "necessity": "required", "form": "paper", "copies": 1, "source": "申请人自备", **kw}


# key, name, category, legal, legal unit, legal note, committed, handling, joint, special, body key,
# original department (None: the zone's own), materials, extra fields
FULL_ITEMS: list[dict[str, Any]] = [
    {
        "code": "YC-XK-001",
        "name": "建设工程规划许可证核发",
        "category": "licensing",
        "legal": 20,
        "committed": 10,
        "body": "service",
        "dept": "永昌县自然资源局",
        "special": ["expert_review"],
        "basis": "《中华人民共和国城乡规划法》第四十条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("建设用地使用权证明文件"),
            _m("建设工程设计方案总平面图", form="both", copies=2),
            _m("建设工程设计方案审查意见"),
            PROXY,
        ],
    },
    {
        "code": "YC-XK-002",
        "name": "建筑工程施工许可证核发",
        "category": "licensing",
        "legal": 7,
        "committed": 3,
        "legal_note": "《建筑工程施工许可管理办法》第五条：自受理之日起七日内",
        "body": "service",
        "dept": "永昌县住房和城乡建设局",
        "basis": "《中华人民共和国建筑法》第七条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("建设工程规划许可证"),
            _m("施工合同"),
            _m("施工图设计文件审查合格书"),
            _m("质量安全监督手续"),
            _m("建设资金落实承诺书"),
            PROXY,
        ],
    },
    {
        "code": "YC-QT-001",
        "name": "企业投资项目备案",
        "category": "other",
        "legal": 0,
        "committed": 0,
        "handling": "instant",
        "body": "economy",
        "dept": "永昌县发展和改革局",
        "online": True,
        "depth": "full",
        "visits": 0,
        "basis": "《企业投资项目核准和备案管理条例》第十三条",
        "materials": [_m("项目备案信息表", form="electronic", source="全国投资项目在线审批监管平台填报"), LICENCE],
    },
    {
        "code": "YC-XK-003",
        "name": "危险化学品经营许可（不带储存设施）",
        "category": "licensing",
        "legal": 30,
        "legal_unit": "calendar",
        "legal_note": "《危险化学品经营许可证管理办法》第十二条：30日内作出决定",
        "committed": 15,
        "body": "service",
        "dept": "永昌县应急管理局",
        "special": ["expert_review"],
        "basis": "《危险化学品安全管理条例》第三十三条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("经营场所产权或租赁证明"),
            _m("安全生产管理制度和岗位操作规程"),
            _m("主要负责人、安全管理人员安全资格证书"),
            _m("事故应急救援预案"),
            PROXY,
        ],
    },
    {
        "code": "YC-XK-004",
        "name": "取水许可",
        "category": "licensing",
        "legal": 45,
        "legal_unit": "calendar",
        "legal_note": "《取水许可和水资源费征收管理条例》第二十条：45日内决定",
        "committed": 20,
        "body": "service",
        "dept": "永昌县水务局",
        "special": ["expert_review"],
        "basis": "《中华人民共和国水法》第四十八条",
        "has_fee": True,
        "fee_basis": "《取水许可和水资源费征收管理条例》",
        "fees": [
            {
                "name": "水资源费（税）",
                "standard": "按甘肃省水资源税征收标准",
                "basis": "甘肃省水资源税改革试点实施办法",
                "reduction": "农业生产取水限额内免征",
            }
        ],
        "materials": [
            APPLICATION,
            LICENCE,
            _m("建设项目水资源论证报告书", copies=2),
            _m("取水工程设计方案"),
            _m("与第三者利害关系的相关说明", necessity="conditional"),
        ],
    },
    {
        "code": "YC-XK-005",
        "name": "建设项目环境影响报告表审批",
        "category": "licensing",
        "legal": 30,
        "legal_unit": "calendar",
        "legal_note": "《中华人民共和国环境影响评价法》第二十二条：报告表30日内",
        "committed": 15,
        "body": "ecology",
        "dept": "金昌市生态环境局永昌分局",
        "special": ["expert_review", "hearing"],
        "basis": "《中华人民共和国环境影响评价法》第二十二条",
        "materials": [
            APPLICATION,
            _m("建设项目环境影响报告表（全本及删除涉密内容的公开版本）", form="both", copies=3),
            _m("环境影响评价文件编制单位承诺书"),
            LICENCE,
        ],
    },
    {
        "code": "YC-QT-002",
        "name": "固定资产投资项目节能审查",
        "category": "other",
        "legal": 20,
        "committed": 10,
        "body": "economy",
        "dept": "永昌县发展和改革局",
        "special": ["expert_review"],
        "basis": "《固定资产投资项目节能审查办法》第十条",
        "materials": [APPLICATION, _m("节能报告", copies=2), _m("项目备案（核准）文件"), LICENCE],
    },
    {
        "code": "YC-XK-006",
        "name": "建设用地规划许可证核发",
        "category": "licensing",
        "legal": 20,
        "committed": 8,
        "body": "service",
        "dept": "永昌县自然资源局",
        "basis": "《中华人民共和国城乡规划法》第三十七条、第三十八条",
        "materials": [APPLICATION, LICENCE, _m("国有建设用地使用权出让合同"), _m("宗地界址图"), PROXY],
    },
    {
        "code": "YC-XK-007",
        "name": "建设工程消防设计审查",
        "category": "licensing",
        "legal": 15,
        "committed": 10,
        "body": "service",
        "dept": "永昌县住房和城乡建设局",
        "special": ["expert_review"],
        "basis": "《中华人民共和国消防法》第十一条",
        "materials": [APPLICATION, _m("消防设计文件", form="both"), _m("依法需要办理的规划许可证明文件"), PROXY],
    },
    {
        "code": "YC-XK-008",
        "name": "建设工程消防验收",
        "category": "licensing",
        "legal": 15,
        "committed": 10,
        "body": "service",
        "dept": "永昌县住房和城乡建设局",
        "special": ["inspection", "testing"],
        "basis": "《中华人民共和国消防法》第十三条",
        "materials": [
            APPLICATION,
            _m("工程竣工验收报告"),
            _m("涉及消防的建设工程竣工图纸", form="both"),
            _m("消防设施检测报告"),
        ],
    },
    {
        "code": "YC-XK-009",
        "name": "工程建设项目竣工联合验收",
        "category": "licensing",
        "legal": 45,
        "committed": 12,
        "joint": True,
        "body": "service",
        "dept": "永昌县住房和城乡建设局",
        "joint_bodies": "自然资源、住房和城乡建设、消防、人防、档案部门",
        "basis": "《中华人民共和国行政许可法》第二十六条；《甘肃省工程建设项目竣工联合验收实施办法》",
        "special": ["inspection"],
        "materials": [
            _m("联合验收申请表"),
            _m("工程竣工验收报告"),
            _m("规划核实测量成果报告"),
            _m("竣工图纸", form="both"),
            _m("人防工程竣工资料", necessity="conditional"),
            _m("城建档案移交资料"),
        ],
    },
    {
        "code": "YC-XK-010",
        "name": "食品经营许可",
        "category": "licensing",
        "legal": 20,
        "committed": 5,
        "body": "service",
        "dept": "永昌县市场监督管理局",
        "online": True,
        "depth": "submit",
        "basis": "《中华人民共和国食品安全法》第三十五条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("与食品经营相适应的主要设备设施布局、操作流程文件"),
            _m("食品安全管理制度"),
        ],
    },
    {
        "code": "YC-XK-011",
        "name": "特种设备使用登记",
        "category": "licensing",
        "legal": 15,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "dept": "永昌县市场监督管理局",
        "basis": "《中华人民共和国特种设备安全法》第三十三条",
        "materials": [_m("特种设备使用登记表", copies=2), _m("产品合格证"), _m("监督检验证明"), LICENCE],
    },
    {
        "code": "YC-XK-012",
        "name": "道路货物运输经营许可",
        "category": "licensing",
        "legal": 20,
        "committed": 5,
        "body": "service",
        "dept": "永昌县交通运输局",
        "basis": "《中华人民共和国道路运输条例》第二十四条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("车辆行驶证及技术等级评定"),
            _m("驾驶人员从业资格证"),
            _m("安全生产管理制度"),
        ],
    },
    {
        "code": "YC-XK-013",
        "name": "劳务派遣经营许可",
        "category": "licensing",
        "legal": 20,
        "committed": 10,
        "body": "service",
        "dept": "永昌县人力资源和社会保障局",
        "special": ["hearing"],
        "basis": "《中华人民共和国劳动合同法》第五十七条",
        "materials": [
            APPLICATION,
            LICENCE,
            _m("验资证明（注册资本不少于200万元）"),
            _m("经营场所使用证明"),
            _m("劳务派遣管理制度"),
        ],
    },
    {
        "code": "YC-QT-003",
        "name": "对外贸易经营者备案登记",
        "category": "other",
        "legal": 5,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "dept": "永昌县商务局",
        "online": True,
        "depth": "full",
        "visits": 0,
        "basis": "《中华人民共和国对外贸易法》第九条",
        "materials": [_m("对外贸易经营者备案登记表", form="electronic"), LICENCE],
    },
    {
        "code": "YC-GF-001",
        "name": "工程建设项目全程代办服务",
        "category": "public_service",
        "legal": 30,
        "legal_unit": "calendar",
        "legal_note": "园区服务承诺",
        "committed": 20,
        "body": "investment",
        "basis": "《永昌工业园区项目全程代办服务办法》",
        "materials": [_m("代办委托书"), _m("项目基本情况表"), LICENCE],
    },
    {
        "code": "YC-GF-002",
        "name": "惠企政策咨询与兑现受理",
        "category": "public_service",
        "legal": 10,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "basis": "《永昌工业园区惠企政策兑现办法》",
        "materials": [_m("政策兑现申请表"), LICENCE, _m("相关佐证材料", necessity="conditional")],
    },
    # 企业开办 (the s57 bundle): the zone's own window items, registration first, then the rest in parallel.
    {
        "code": "YC-KB-001",
        "name": "企业设立登记",
        "category": "licensing",
        "legal": 3,
        "committed": 1,
        "body": "market",
        "basis": "《中华人民共和国市场主体登记管理条例》第十九条",
        "legal_note": "《市场主体登记管理条例》第十九条：受理后3个工作日内予以登记",
        "materials": [_m("企业设立登记申请书"), _m("公司章程"), ID_CARD, _m("住所使用证明")],
    },
    {
        "code": "YC-KB-002",
        "name": "印章刻制备案",
        "category": "public_service",
        "legal": 1,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "basis": "《印铸刻字业暨印章治安管理办法》",
        "materials": [_m("印章刻制申请表"), ID_CARD],
    },
    {
        "code": "YC-KB-003",
        "name": "新办纳税人涉税事项办理",
        "category": "public_service",
        "legal": 1,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "basis": "《税务登记管理办法》",
        "materials": [ID_CARD, _m("财务负责人身份证明"), _m("银行开户信息")],
    },
    {
        "code": "YC-KB-004",
        "name": "单位社会保险参保登记",
        "category": "confirmation",
        "legal": 1,
        "committed": 0,
        "handling": "instant",
        "body": "service",
        "basis": "《中华人民共和国社会保险法》第五十七条",
        "materials": [_m("社会保险参保登记表"), ID_CARD, _m("银行开户信息")],
    },
]

# Licensing items from the county, split into their handling sub-items.
LICENSING_BASES = [
    ("永昌县自然资源局", "乡村建设规划许可证核发"),
    ("永昌县自然资源局", "临时建设工程规划许可"),
    ("永昌县自然资源局", "建设项目用地预审与选址意见书核发"),
    ("永昌县住房和城乡建设局", "城镇污水排入排水管网许可"),
    ("永昌县住房和城乡建设局", "城市建筑垃圾处置核准"),
    ("永昌县住房和城乡建设局", "占用、挖掘城市道路审批"),
    ("永昌县住房和城乡建设局", "建筑起重机械使用登记"),
    ("永昌县住房和城乡建设局", "燃气经营许可"),
    ("永昌县应急管理局", "危险化学品安全使用许可"),
    ("永昌县应急管理局", "烟花爆竹经营（零售）许可"),
    ("永昌县应急管理局", "非煤矿山建设项目安全设施设计审查"),
    ("永昌县水务局", "生产建设项目水土保持方案审批"),
    ("永昌县水务局", "河道管理范围内建设项目工程建设方案审批"),
    ("永昌县水务局", "取水工程验收"),
    ("永昌县交通运输局", "公路超限运输许可"),
    ("永昌县交通运输局", "涉路施工许可"),
    ("永昌县交通运输局", "道路运输站（场）经营许可"),
    ("永昌县市场监督管理局", "食品生产许可"),
    ("永昌县市场监督管理局", "计量标准器具核准"),
    ("永昌县人力资源和社会保障局", "企业实行特殊工时制度审批"),
    ("永昌县人力资源和社会保障局", "民办职业培训学校设立审批"),
    ("永昌县林业和草原局", "林木采伐许可证核发"),
    ("永昌县林业和草原局", "建设项目使用林地审核"),
    ("永昌县农业农村局", "农药经营许可"),
    ("永昌县农业农村局", "兽药经营许可证核发"),
    ("永昌县卫生健康局", "公共场所卫生许可"),
    ("永昌县工业和信息化局", "工业企业技术改造项目备案"),
    ("永昌县发展和改革局", "企业投资项目核准"),
    ("永昌县应急管理局", "危险化学品建设项目安全条件审查"),
    ("永昌县应急管理局", "危险化学品建设项目安全设施设计审查"),
    ("永昌县应急管理局", "第二类、第三类非药品类易制毒化学品经营备案"),
    ("永昌县住房和城乡建设局", "商品房预售许可"),
    ("永昌县住房和城乡建设局", "城市排水许可"),
    ("永昌县住房和城乡建设局", "建筑业企业资质（施工劳务）核定"),
    ("永昌县自然资源局", "建设工程规划核实"),
    ("永昌县水务局", "水工程建设规划同意书审核"),
    ("永昌县交通运输局", "公路建筑控制区内埋设管线审批"),
    ("永昌县市场监督管理局", "特种设备安全管理和作业人员资格认定"),
    ("金昌市生态环境局永昌分局", "建设项目环境影响登记表备案"),
    ("永昌县卫生健康局", "放射诊疗许可"),
    ("永昌县消防救援大队", "公众聚集场所投入使用、营业前消防安全检查"),
]
SUB_ITEMS = ["新办", "变更", "延续", "注销"]
PENALTIES = [
    ("永昌县应急管理局", "生产经营单位未按规定对从业人员进行安全生产教育和培训"),
    ("永昌县应急管理局", "生产经营单位未按规定设置安全生产管理机构或配备安全生产管理人员"),
    ("永昌县应急管理局", "危险化学品生产企业未按规定提供化学品安全技术说明书"),
    ("永昌县应急管理局", "未经许可经营危险化学品"),
    ("永昌县应急管理局", "生产经营单位未建立事故隐患排查治理制度"),
    ("永昌县应急管理局", "生产经营单位未按规定制定生产安全事故应急救援预案"),
    ("永昌县应急管理局", "特种作业人员未按规定经专门安全作业培训并取得相应资格上岗作业"),
    ("永昌县应急管理局", "生产经营单位未在有较大危险因素的场所设置安全警示标志"),
    ("永昌县应急管理局", "矿山建设项目安全设施未按批准的设计施工"),
    ("永昌县应急管理局", "储存危险化学品的单位未建立危险化学品出入库核查登记制度"),
    ("金昌市生态环境局永昌分局", "建设项目未依法进行环境影响评价擅自开工建设"),
    ("金昌市生态环境局永昌分局", "超过大气污染物排放标准排放大气污染物"),
    ("金昌市生态环境局永昌分局", "未按规定设置危险废物识别标志"),
    ("金昌市生态环境局永昌分局", "通过暗管、渗井等逃避监管的方式排放水污染物"),
    ("金昌市生态环境局永昌分局", "未按照排污许可证规定排放污染物"),
    ("金昌市生态环境局永昌分局", "工业企业未采取措施防治扬尘污染"),
    ("永昌县住房和城乡建设局", "建设单位未取得施工许可证擅自施工"),
    ("永昌县住房和城乡建设局", "施工单位未按规定对建筑材料进行检验"),
    ("永昌县住房和城乡建设局", "建设单位明示或暗示施工单位使用不合格建筑材料"),
    ("永昌县自然资源局", "未取得建设工程规划许可证进行建设"),
    ("永昌县自然资源局", "未经批准非法占用土地"),
    ("永昌县水务局", "未经批准擅自取水"),
    ("永昌县水务局", "生产建设项目未编制水土保持方案擅自开工"),
    ("永昌县市场监督管理局", "使用未经定期检验的特种设备"),
    ("永昌县市场监督管理局", "未取得食品经营许可从事食品经营活动"),
    ("永昌县人力资源和社会保障局", "用人单位违反规定延长劳动者工作时间"),
    ("永昌县人力资源和社会保障局", "用人单位未按规定支付劳动者工资"),
    ("永昌县交通运输局", "车辆超限运输违法行为"),
]
INSPECTIONS = [
    ("永昌县应急管理局", "对生产经营单位安全生产情况的行政检查"),
    ("永昌县应急管理局", "对危险化学品企业安全生产条件的行政检查"),
    ("金昌市生态环境局永昌分局", "对排污单位排污许可执行情况的行政检查"),
    ("金昌市生态环境局永昌分局", "对建设项目环境保护设施“三同时”的行政检查"),
    ("永昌县住房和城乡建设局", "对建设工程质量安全的行政检查"),
    ("永昌县市场监督管理局", "对特种设备使用单位的行政检查"),
    ("永昌县水务局", "对取水单位取水情况的行政检查"),
    ("永昌县自然资源局", "对土地利用情况的行政检查"),
    ("永昌县人力资源和社会保障局", "对用人单位遵守劳动保障法律法规情况的行政检查"),
]
COERCIONS = [
    ("永昌县应急管理局", "对有根据认为不符合保障安全生产的国家标准的设施、设备、器材予以查封或者扣押"),
    ("永昌县应急管理局", "对违法生产、储存、使用、经营危险化学品的场所予以查封"),
    ("金昌市生态环境局永昌分局", "对违法排放污染物造成或者可能造成严重污染的设施、设备予以查封、扣押"),
    ("永昌县市场监督管理局", "对有证据表明不符合安全技术规范要求的特种设备予以查封、扣押"),
    ("永昌县住房和城乡建设局", "对未取得施工许可的建设工程责令停止施工"),
    ("永昌县自然资源局", "对非法占用土地的建筑物和其他设施予以查封"),
]
BATCHES = [
    (1, "永昌县第一批赋予园区县级管理权限事项", "永政发〔2021〕36号", dt.date(2021, 6, 1)),
    (2, "永昌县第二批赋予园区县级管理权限事项", "永政发〔2022〕18号", dt.date(2022, 4, 15)),
    (3, "永昌县第三批赋予园区县级管理权限事项", "永政发〔2023〕27号", dt.date(2023, 7, 1)),
]
DELEGATED_TOTAL = 221
DEPT_BODY = {"enforcement": ("penalty", "inspection", "coercion")}


def generated_delegations() -> list[dict[str, Any]]:
    """The bulk of the delegated items (demo data): realistic names from the tables above."""
    rows: list[dict[str, Any]] = []
    for n, (dept, base) in enumerate(LICENSING_BASES, start=1):
        for k, sub in enumerate(SUB_ITEMS, start=1):
            instant = sub == "注销"
            rows.append(
                {
                    "code": f"YC-XK-{100 + n:03d}-{k}",
                    "name": f"{base}（{sub}）",
                    "category": "licensing",
                    "dept": dept,
                    "legal": 20,
                    "committed": 0 if instant else (10 if sub == "新办" else 5),
                    "handling": "instant" if instant else "promised",
                    "body": "service",
                }
            )
    for n, (dept, offence) in enumerate(PENALTIES, start=1):
        rows.append(
            {
                "code": f"YC-CF-{n:03d}",
                "name": f"对{offence}的行政处罚",
                "category": "penalty",
                "dept": dept,
                "legal": 90,
                "committed": 60,
                "body": "enforcement",
                "legal_note": "《行政处罚法》第六十条：自立案之日起九十日内作出处罚决定",
            }
        )
    for n, (dept, name) in enumerate(INSPECTIONS, start=1):
        rows.append(
            {
                "code": f"YC-JC-{n:03d}",
                "name": name,
                "category": "inspection",
                "dept": dept,
                "legal": 30,
                "legal_unit": "calendar",
                "committed": 15,
                "body": "enforcement",
            }
        )
    for n, (dept, name) in enumerate(COERCIONS, start=1):
        rows.append(
            {
                "code": f"YC-QZ-{n:03d}",
                "name": name,
                "category": "coercion",
                "dept": dept,
                "legal": 30,
                "legal_unit": "calendar",
                "legal_note": "《行政强制法》第二十五条：查封、扣押期限不得超过三十日",
                "committed": 20,
                "body": "enforcement",
            }
        )
    return rows
