"""The seed's counts (一(三)4, 5, 8, 9) as 示例市's ledgers will hold them. Fictional names."""

import datetime as dt

# code, name, level, year, started, feedback
TOURS = [
    (
        "central2017",
        "2017年中央环境保护督察",
        "central",
        2017,
        dt.date(2017, 4, 24),
        dt.date(2017, 7, 29),
    ),
    (
        "central2018",
        "2018年中央生态环境保护督察“回头看”",
        "central",
        2018,
        dt.date(2018, 6, 1),
        dt.date(2018, 10, 22),
    ),
    (
        "province2018",
        "2018年省环境保护督察",
        "provincial",
        2018,
        dt.date(2018, 4, 9),
        dt.date(2018, 8, 20),
    ),
    (
        "yangtze",
        "国家长江办交办及长江经济带警示片问题",
        "national_office",
        2019,
        dt.date(2019, 3, 1),
        dt.date(2019, 3, 1),
    ),
    (
        "listed",
        "省整改办挂牌督办问题",
        "provincial",
        2019,
        dt.date(2019, 6, 10),
        dt.date(2019, 6, 10),
    ),
    (
        "province2020",
        "2020年省生态环境保护督察“回头看”",
        "provincial",
        2020,
        dt.date(2020, 10, 23),
        dt.date(2020, 11, 6),
    ),
]

# (source code, category, reference prefix, how many, final states in order of the seed's words)
# e.g. 79 problems: 68 written off, 2 rectified (70 rectified), 9 in progress.
RECTIFICATION = [
    ("central2017", "petition", "ZY2017-XF", [("closed", 128)]),
    ("central2017", "feedback", "ZY2017-FK", [("written_off", 6), ("in_progress", 1)]),
    ("central2018", "petition", "ZYHTK2018-XF", [("closed", 199)]),
    ("central2018", "feedback", "ZYHTK2018-FK", [("written_off", 5), ("in_progress", 1)]),
    ("province2018", "petition", "SDC2018-XF", [("closed", 323)]),
    (
        "province2018",
        "feedback",
        "SDC2018-FK",
        [("written_off", 68), ("rectified", 2), ("in_progress", 9)],
    ),
    ("province2018", "transfer", "SDC2018-YJ", [("written_off", 4)]),
    ("yangtze", "assigned", "CJB2019", [("written_off", 6), ("rectified", 1)]),
    ("listed", "listed", "GPDB2019", [("delisted", 2), ("rectified", 1), ("in_progress", 2)]),
    # 2020 look-back: 147 closed by one unit + 1 closed jointly with a neighbouring city = 147.5
    ("province2020", "petition", "SHTK2020-XF", [("closed", 111), ("in_progress", 27)]),
    ("province2020", "supervised", "SHTK2020-DB", [("closed", 37), ("in_progress", 42)]),
]
JOINT_REFERENCE = "SHTK2020-XF-111"  # closed with 东川市 (outside 示例市): 0.5 each
NEIGHBOUR = "东川市人民政府"

# problems the seed names as unfinished, renamed for the demo city
OPEN_PROBLEMS = {
    "ZY2017-FK-07": "示例矿业公司砷碱渣超期贮存问题",
    "ZYHTK2018-FK-06": "示例矿业公司砷碱渣超期贮存问题",
    "GPDB2019-04": "清溪河林场桥断面劣Ⅴ类水体问题",
    "GPDB2019-05": "示例硅业公司环境污染问题",
}
PROBLEM_TOPICS = [
    "饮用水水源保护区内违法建设",
    "工业园区污水集中处理设施未建成",
    "城镇生活污水直排",
    "尾矿库环境风险隐患",
    "建筑工地扬尘污染",
    "畜禽养殖污染",
    "固体废物非法堆存",
    "自然保护区违规开发",
    "黑臭水体整治不到位",
    "涉重金属企业超标排放",
]
PETITION_TOPICS = [
    "噪声扰民",
    "油烟污染",
    "废气异味",
    "污水外排",
    "粉尘污染",
    "垃圾焚烧烟气",
    "养殖场臭气",
    "河道污染",
    "夜间施工噪声",
    "危险废物倾倒",
]

# petitions received to 11-30: 153; closed 142 (2 of them not accepted); 11 in handling
PETITIONS = {
    "code": "petitions2020",
    "name": "2020年环境信访(12369及来信来访)",
    "year": 2020,
    "received": 153,
    "not_accepted": 2,
    "closed": 140,
    "open": 11,
}

# proposals: (category, source code, source name, lead count, co count)
PROPOSALS = [
    ("npc", "npc2020", "示例市第五届人民代表大会第五次会议代表建议", 5, 6),
    ("cppcc", "cppcc2020", "政协示例市第五届委员会第四次会议提案", 3, 5),
]
PROPOSAL_TOPICS = [
    "城区扬尘污染治理",
    "农村生活污水处理",
    "饮用水水源地保护",
    "餐饮油烟整治",
    "工业园区环境监管",
    "河长制落实",
    "秸秆禁烧",
    "噪声污染防治",
    "垃圾分类",
    "生态补偿机制",
    "矿山生态修复",
]
BUREAU_SECTIONS = [
    "大气环境科",
    "水生态环境科",
    "土壤生态环境科",
    "自然生态保护科",
    "固体废物与化学品科",
]
LEAD_DEPARTMENTS = [
    "市住房和城乡建设局",
    "市农业农村局",
    "市水利局",
    "市城市管理和综合执法局",
    "市自然资源和规划局",
    "市交通运输局",
]

CAMPAIGN = {
    "code": "summer",
    "name": "2020年污染防治攻坚战“夏季攻势”",
    "year": 2020,
    "started": dt.date(2020, 6, 1),
    "ended": dt.date(2020, 10, 31),
    "due": dt.date(2020, 9, 30),
    "tasks": 136,
    "categories": [
        "蓝天保卫战",
        "碧水保卫战",
        "净土保卫战",
        "长江保护修复攻坚战",
        "农业农村污染治理攻坚战",
        "柴油货车污染治理攻坚战",
        "饮用水水源地保护攻坚战",
    ],
    "aspects": [
        "工业污染治理",
        "扬尘污染管控",
        "移动源污染防治",
        "水污染治理",
        "土壤污染防治",
        "农业农村污染治理",
        "生态保护修复",
        "环境风险防控",
    ],
    "measures_per_aspect": 8,
}
