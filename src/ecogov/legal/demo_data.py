"""The facts of 示例市's legal work (fictional, shaped like the seed's 2020): the demo's data."""

import datetime as dt
from decimal import Decimal

FAIR_OK = "compliant"
LAW = "法规与标准科"
EIA = "环境影响评价与排放管理科"
AIR = "大气环境科"
NATURE = "自然生态保护科"
OFFICE = "办公室"
DETACHMENT = "示例市生态环境保护综合行政执法支队"


def _dates(
    drafted, deliberated, registered, issued, published, filed, consult=None, effective=None
):
    dates = {
        "drafted": drafted,
        "deliberated": deliberated,
        "registered": registered,
        "issued": issued,
        "published": published,
        "filed": filed,
    }
    if consult:
        dates["consult"] = consult
    if effective:
        dates["effective"] = effective
    return dates


def _passed(on, done, **kw):
    return [{"on": on, "done": done, "outcome": "passed", **kw}]


# Documents in force before 2020: what the 2020 cleanups review.
OLD_DOCUMENTS = [
    {
        "key": "discretion2016",
        "title": "示例市环境保护行政处罚自由裁量权细化标准",
        "unit": DETACHMENT,
        "themes": ["penalty"],
        "market": True,
        "dates": _dates(
            dt.date(2016, 3, 1),
            dt.date(2016, 5, 20),
            dt.date(2016, 5, 25),
            dt.date(2016, 5, 26),
            dt.date(2016, 5, 30),
            dt.date(2016, 6, 15),
            consult=(dt.date(2016, 3, 10), dt.date(2016, 4, 11)),
        ),
        "legality": _passed(dt.date(2016, 4, 18), dt.date(2016, 5, 6)),
    },
    {
        "key": "breeding",
        "title": "示例市野生动物人工繁育场所污染防治管理办法",
        "unit": NATURE,
        "themes": ["wildlife", "market_entities"],
        "market": True,
        "dates": _dates(
            dt.date(2017, 2, 6),
            dt.date(2017, 4, 27),
            dt.date(2017, 5, 2),
            dt.date(2017, 5, 10),
            dt.date(2017, 5, 12),
            dt.date(2017, 5, 31),
            consult=(dt.date(2017, 2, 13), dt.date(2017, 3, 15)),
        ),
        "legality": _passed(dt.date(2017, 3, 20), dt.date(2017, 4, 7)),
    },
    {
        "key": "eia2017",
        "title": "示例市建设项目环境影响评价文件分级审批管理办法",
        "unit": EIA,
        "themes": ["licensing", "market_entities"],
        "market": True,
        "dates": _dates(
            dt.date(2017, 5, 8),
            dt.date(2017, 8, 24),
            dt.date(2017, 8, 28),
            dt.date(2017, 9, 1),
            dt.date(2017, 9, 5),
            dt.date(2017, 9, 26),
            consult=(dt.date(2017, 6, 1), dt.date(2017, 7, 3)),
        ),
        "legality": _passed(dt.date(2017, 7, 10), dt.date(2017, 7, 28)),
    },
    {
        "key": "permit2017",
        "title": "示例市排污许可证管理暂行办法",
        "unit": EIA,
        "themes": ["licensing", "market_entities"],
        "market": True,
        "dates": _dates(
            dt.date(2017, 8, 1),
            dt.date(2017, 12, 7),
            dt.date(2017, 12, 15),
            dt.date(2017, 12, 20),
            dt.date(2017, 12, 22),
            dt.date(2018, 1, 12),
            consult=(dt.date(2017, 9, 4), dt.date(2017, 10, 9)),
            effective=dt.date(2018, 1, 1),
        ),
        "legality": _passed(dt.date(2017, 10, 16), dt.date(2017, 11, 3)),
    },
    {
        "key": "habitat",
        "title": "示例市自然保护区野生动物栖息地环境保护管理规定",
        "unit": NATURE,
        "themes": ["wildlife"],
        "dates": _dates(
            dt.date(2017, 11, 6),
            dt.date(2018, 2, 8),
            dt.date(2018, 2, 12),
            dt.date(2018, 2, 26),
            dt.date(2018, 2, 28),
            dt.date(2018, 3, 20),
            consult=(dt.date(2017, 11, 20), dt.date(2017, 12, 21)),
            effective=dt.date(2018, 3, 1),
        ),
        "legality": _passed(dt.date(2018, 1, 8), dt.date(2018, 1, 26)),
    },
    {
        "key": "grid2019",
        "title": "示例市大气污染防治网格化监管办法",
        "unit": AIR,
        "themes": ["air"],
        "dates": _dates(
            dt.date(2019, 1, 7),
            dt.date(2019, 4, 4),
            dt.date(2019, 4, 9),
            dt.date(2019, 4, 15),
            dt.date(2019, 4, 17),
            dt.date(2019, 5, 10),
            consult=(dt.date(2019, 1, 21), dt.date(2019, 2, 25)),
        ),
        "legality": _passed(dt.date(2019, 3, 4), dt.date(2019, 3, 22)),
    },
    {
        "key": "petition2019",
        "title": "示例市生态环境信访举报处理办法",
        "unit": OFFICE,
        "themes": ["reporting"],
        "dates": _dates(
            dt.date(2019, 3, 11),
            dt.date(2019, 7, 11),
            dt.date(2019, 7, 16),
            dt.date(2019, 7, 25),
            dt.date(2019, 7, 29),
            dt.date(2019, 8, 20),
            consult=(dt.date(2019, 4, 1), dt.date(2019, 5, 6)),
        ),
        "legality": _passed(dt.date(2019, 5, 20), dt.date(2019, 6, 6)),
    },
]

# The five documents given a legality review in 2020 (seed 一(二)2), issued 示环规〔2020〕1–5号.
DOCUMENTS_2020 = [
    {
        "key": "reward",
        "title": "示例市生态环境违法行为举报奖励办法(试行)",
        "unit": LAW,
        "trial": True,
        "themes": ["reporting"],
        "opinions": 23,
        "dates": _dates(
            dt.date(2020, 1, 6),
            dt.date(2020, 4, 2),
            dt.date(2020, 4, 8),
            dt.date(2020, 4, 10),
            dt.date(2020, 4, 13),
            dt.date(2020, 4, 28),
            consult=(dt.date(2020, 2, 10), dt.date(2020, 3, 12)),
        ),
        "legality": _passed(dt.date(2020, 3, 16), dt.date(2020, 3, 25)),
    },
    {
        "key": "zoning",
        "title": "示例市“三线一单”生态环境分区管控实施方案",
        "unit": EIA,
        "themes": ["zoning", "market_entities"],
        "market": True,
        "opinions": 41,
        "dates": _dates(
            dt.date(2020, 4, 20),
            dt.date(2020, 6, 29),
            dt.date(2020, 7, 1),
            dt.date(2020, 7, 3),
            dt.date(2020, 7, 6),
            dt.date(2020, 7, 30),
            consult=(dt.date(2020, 5, 6), dt.date(2020, 6, 8)),
        ),
        "fair": [{"on": dt.date(2020, 6, 10), "done": dt.date(2020, 6, 18), "outcome": FAIR_OK}],
        "legality": [
            {
                "on": dt.date(2020, 6, 10),
                "done": dt.date(2020, 6, 19),
                "outcome": "passed_with_changes",
                "opinion": "基本符合法律、法规规定,按审核意见修改后提请审议。",
                "issues": "第十二条准入要求的表述与《中华人民共和国环境影响评价法》不一致。",
                "resolved": dt.date(2020, 6, 24),
                "resolution": "已按审核意见修改第十二条。",
            }
        ],
    },
    {
        "key": "discretion2020",
        "title": "示例市生态环境行政处罚自由裁量权基准",
        "unit": DETACHMENT,
        "themes": ["penalty", "market_entities"],
        "market": True,
        "opinions": 17,
        "dates": _dates(
            dt.date(2020, 6, 1),
            dt.date(2020, 8, 27),
            dt.date(2020, 9, 1),
            dt.date(2020, 9, 3),
            dt.date(2020, 9, 7),
            dt.date(2020, 10, 20),
            consult=(dt.date(2020, 6, 15), dt.date(2020, 7, 16)),
            effective=dt.date(2020, 10, 1),
        ),
        "fair": [{"on": dt.date(2020, 7, 20), "done": dt.date(2020, 7, 28), "outcome": FAIR_OK}],
        "legality": [
            {
                "on": dt.date(2020, 7, 20),
                "done": dt.date(2020, 7, 29),
                "outcome": "failed",
                "opinion": "部分违法行为的裁量档次突破法定罚款幅度,退回修改。",
            },
            {"on": dt.date(2020, 8, 10), "done": dt.date(2020, 8, 21), "outcome": "passed"},
        ],
    },
    {
        "key": "positive_list",
        "title": "示例市建设项目环境影响评价审批正面清单",
        "unit": EIA,
        "themes": ["licensing", "market_entities"],
        "market": True,
        "opinions": 12,
        "dates": _dates(
            dt.date(2020, 7, 20),
            dt.date(2020, 9, 24),
            dt.date(2020, 9, 28),
            dt.date(2020, 9, 29),
            dt.date(2020, 10, 9),
            dt.date(2020, 10, 26),
            consult=(dt.date(2020, 8, 3), dt.date(2020, 9, 4)),
        ),
        "fair": [
            {
                "on": dt.date(2020, 9, 7),
                "done": dt.date(2020, 9, 16),
                "outcome": "exception",
                "opinion": "清单对部分行业设定差别化审批措施,属于例外情形。",
                "ground": "为实现节约能源资源、保护生态环境等社会公共利益,且对竞争影响较小、"
                "明确实施期限",
            }
        ],
        "legality": _passed(dt.date(2020, 9, 7), dt.date(2020, 9, 18)),
    },
    {
        "key": "heavy_pollution",
        "title": "示例市重污染天气应急减排清单管理办法",
        "unit": AIR,
        "themes": ["air", "market_entities"],
        "market": True,
        "opinions": 9,
        "dates": _dates(
            dt.date(2020, 9, 1),
            dt.date(2020, 11, 5),
            dt.date(2020, 11, 10),
            dt.date(2020, 11, 12),
            dt.date(2020, 11, 16),
            dt.date(2020, 12, 3),
            consult=(dt.date(2020, 9, 14), dt.date(2020, 10, 15)),
        ),
        "fair": [{"on": dt.date(2020, 10, 19), "done": dt.date(2020, 10, 28), "outcome": FAIR_OK}],
        "legality": _passed(dt.date(2020, 10, 19), dt.date(2020, 10, 30)),
    },
    # still with the legal section at year end (the work list is not empty)
    {
        "key": "compensation",
        "title": "示例市生态环境损害赔偿磋商办法",
        "unit": LAW,
        "opinions": 5,
        "dates": {
            "drafted": dt.date(2020, 10, 12),
            "consult": (dt.date(2020, 11, 2), dt.date(2020, 12, 4)),
        },
        "legality": [{"on": dt.date(2020, 12, 28)}],
    },
]

MEASURES = [
    {
        "key": "campaign2020",
        "title": "示例市污染防治攻坚战2020年度工作方案",
        "kind": "工作方案",
        "unit": "生态环境保护督察办公室",
        "market": False,
        "drafted": dt.date(2020, 2, 17),
        "issued": dt.date(2020, 3, 20),
        "reference": "示环发〔2020〕8号",
    },
    {
        "key": "credit",
        "title": "示例市重点排污单位环境信用评价实施方案",
        "kind": "实施方案",
        "unit": LAW,
        "market": True,
        "themes": ["market_entities"],
        "drafted": dt.date(2020, 4, 13),
        "fair": {"on": dt.date(2020, 5, 6), "done": dt.date(2020, 5, 12), "outcome": FAIR_OK},
        "issued": dt.date(2020, 5, 20),
        "reference": "示环发〔2020〕21号",
    },
    {
        "key": "summer",
        "title": "示例市污染防治攻坚战“2020年夏季攻势”任务清单",
        "kind": "任务清单",
        "unit": "生态环境保护督察办公室",
        "market": False,
        "drafted": dt.date(2020, 5, 11),
        "issued": dt.date(2020, 6, 5),
        "reference": "示环发〔2020〕26号",
    },
    {
        "key": "whitelist",
        "title": "示例市涉企生态环境监管“白名单”制度实施方案",
        "kind": "实施方案",
        "unit": DETACHMENT,
        "market": True,
        "themes": ["market_entities"],
        "drafted": dt.date(2020, 6, 22),
        "fair": {
            "on": dt.date(2020, 7, 6),
            "done": dt.date(2020, 7, 15),
            "outcome": "not_to_issue",
            "opinion": "对“白名单”内企业一律免予现场检查,对其他经营者构成差别待遇,不得出台。",
        },
        "abandoned": dt.date(2020, 7, 20),
        "abandon_reason": "公平竞争审查结论为不得出台",
    },
]

BILLS = [
    {
        "title": "示例市扬尘污染防治条例",
        "kind": "local_regulation",
        "summary": "规范建设工程、道路、物料堆场等扬尘污染防治。",
        "milestones": [
            ("drafting", dt.date(2019, 9, 10), "市人民政府2020年立法计划"),
            ("submitted", dt.date(2020, 4, 15), "示例市人民政府"),
            ("hearing", dt.date(2020, 5, 20), "立法听证会"),
            ("government_adopted", dt.date(2020, 6, 28), "示例市人民政府第六十二次常务会议"),
            (
                "first_reading",
                dt.date(2020, 8, 27),
                "示例市第五届人民代表大会常务委员会第三十六次会议",
            ),
            ("passed", dt.date(2020, 10, 29), "示例市第五届人民代表大会常务委员会第三十八次会议"),
            (
                "approved",
                dt.date(2020, 11, 27),
                "示例省第十三届人民代表大会常务委员会第二十一次会议",
            ),
            ("promulgated", dt.date(2020, 12, 10), "示例市人民代表大会常务委员会公告第12号"),
            ("effective", dt.date(2021, 3, 1), ""),
        ],
    },
    {
        "title": "示例市饮用水水源保护条例",
        "kind": "local_regulation",
        "milestones": [("drafting", dt.date(2020, 11, 2), "列入2021年立法计划调研项目")],
    },
]

DISPUTES = [
    {
        "kind": "reconsideration",
        "forum": "示例市人民政府",
        "reference": "示政复〔2020〕17号",
        "applicant_name": "北山宏达化工有限公司",
        "act_kind": "penalty",
        "act_number": "示环罚〔2020〕12号",
        "act_description": "示环罚〔2020〕12号行政处罚决定",
        "claims": "撤销行政处罚决定",
        "received_on": dt.date(2020, 5, 11),
        "answered": dt.date(2020, 5, 20),
        "decided": (dt.date(2020, 7, 6), "upheld", "维持原行政处罚决定"),
    },
    {
        "kind": "reconsideration",
        "forum": "示例市人民政府",
        "reference": "示政复〔2020〕33号",
        "applicant_kind": "individual",
        "applicant_name": "王某某",
        "applicant_id_number": "990102198001011234",
        "applicant_phone": "13912345678",
        "act_kind": "information",
        "act_description": "政府信息公开申请答复",
        "claims": "确认逾期答复违法并重新答复",
        "received_on": dt.date(2020, 7, 13),
        "answered": dt.date(2020, 7, 22),
        "decided": (dt.date(2020, 9, 4), "confirmed_illegal", "确认逾期答复违法"),
    },
    {
        "kind": "reconsideration",
        "forum": "示例省生态环境厅",
        "reference": "示环复〔2020〕5号",
        "applicant_name": "南湖恒光纸业有限公司",
        "act_kind": "permit",
        "act_description": "排污许可证许可事项变更",
        "claims": "变更许可排放量",
        "received_on": dt.date(2020, 9, 14),
        "answered": dt.date(2020, 9, 24),
        "decided": (dt.date(2020, 10, 10), "withdrawn", "申请人撤回复议申请"),
    },
    {
        "kind": "litigation",
        "trial_level": "first",
        "forum": "城东区人民法院",
        "reference": "(2020)示0102行初45号",
        "applicant_name": "青石鑫源水泥有限公司",
        "act_kind": "penalty",
        "act_number": "示环罚〔2020〕30号",
        "act_description": "示环罚〔2020〕30号行政处罚决定",
        "claims": "撤销行政处罚决定",
        "received_on": dt.date(2020, 6, 8),
        "answered": dt.date(2020, 6, 22),
        "hearing": (dt.date(2020, 8, 18), True, "王建国 局长"),
        "decided": (dt.date(2020, 9, 30), "upheld", "驳回原告诉讼请求"),
    },
    {
        "kind": "litigation",
        "trial_level": "first",
        "forum": "城西区人民法院",
        "reference": "(2020)示0103行初77号",
        "applicant_kind": "individual",
        "applicant_name": "李某某",
        "applicant_id_number": "990103197505054321",
        "act_kind": "inaction",
        "act_description": "未依法查处噪声污染投诉",
        "claims": "确认不履行法定职责违法",
        "received_on": dt.date(2020, 9, 21),
        "answered": dt.date(2020, 10, 9),
        "hearing": (dt.date(2020, 12, 15), False, ""),
    },
]

OPINIONS = [
    ("contract_review", "环境空气自动监测站运维服务合同", dt.date(2020, 2, 18), "李明"),
    (
        "document_review",
        "《示例市生态环境违法行为举报奖励办法(试行)》",
        dt.date(2020, 3, 20),
        "赵丽",
    ),
    ("litigation", "青石鑫源水泥有限公司诉本局行政处罚案", dt.date(2020, 6, 15), "李明"),
    ("case_consultation", "按日连续处罚适用条件", dt.date(2020, 7, 8), "李明"),
    ("document_review", "《示例市生态环境行政处罚自由裁量权基准》", dt.date(2020, 8, 14), "赵丽"),
    ("decision", "《示例市扬尘污染防治条例(草案)》", dt.date(2020, 9, 2), "赵丽"),
]

CONTRACT_REVIEWS = [
    {
        "title": "环境空气自动监测站运维服务合同",
        "counterparty": "示例环境科技有限公司",
        "amount": Decimal("48.6000"),
        "unit": "生态环境监测科",
        "submitted": dt.date(2020, 2, 12),
        "reviewed": dt.date(2020, 2, 19),
        "opinion": "合同主要条款合法,建议明确数据质量违约责任。",
    },
    {
        "title": "机关办公楼物业服务合同",
        "counterparty": "示例物业管理有限公司",
        "amount": Decimal("32.0000"),
        "unit": OFFICE,
        "submitted": dt.date(2020, 5, 8),
        "reviewed": dt.date(2020, 5, 14),
        "opinion": "同意签订。",
    },
    {
        "title": "固体废物信息化管理平台建设合同",
        "counterparty": "示例信息技术有限公司",
        "amount": Decimal("96.5000"),
        "unit": "固体废物与化学品科",
        "submitted": dt.date(2020, 8, 17),
        "reviewed": dt.date(2020, 8, 24),
        "opinion": "建议补充数据安全和知识产权条款后签订。",
    },
    {
        "title": "2021年度环境监测车辆租赁合同",
        "counterparty": "示例汽车租赁有限公司",
        "amount": Decimal("12.0000"),
        "unit": "生态环境监测科",
        "submitted": dt.date(2020, 12, 29),
    },
]

GROUP = {
    "name": "示例市生态环境局法治建设工作领导小组",
    "established_on": dt.date(2019, 3, 15),
    "founding_document": "示环发〔2019〕12号",
    "office": "法规与标准科",
}
MEMBERS = [
    ("王建国", "局长", "head", dt.date(2019, 3, 15), None, ""),
    ("李卫东", "副局长", "deputy", dt.date(2019, 3, 15), dt.date(2020, 6, 30), "工作调动"),
    ("孙红", "副局长", "deputy", dt.date(2020, 7, 1), None, "接替李卫东"),
    ("张志强", "法规与标准科科长", "office_director", dt.date(2019, 3, 15), None, ""),
    ("李海燕", "环境影响评价与排放管理科科长", "member", dt.date(2019, 3, 15), None, ""),
    ("陈军", "综合行政执法支队支队长", "member", dt.date(2019, 3, 15), None, ""),
]
MEETINGS = [
    (
        dt.date(2020, 3, 20),
        "2020年第一次领导小组会议",
        "研究2020年法治政府建设工作要点;部署野生动物保护专项清理",
        "印发年度工作要点;3月底前完成专项清理",
    ),
    (
        dt.date(2020, 7, 10),
        "2020年第二次领导小组会议",
        "调整领导小组成员;部署规范性文件全面清理",
        "孙红同志任副组长;9月启动全面清理",
    ),
    (
        dt.date(2020, 12, 18),
        "2020年第三次领导小组会议",
        "听取2020年法治政府建设情况汇报;研究年终述法",
        "形成年度工作总结,按期报送",
    ),
]
DUTIES = [
    (
        "deploy",
        "主持研究部署年度法治政府建设工作",
        dt.date(2020, 3, 31),
        dt.date(2020, 3, 20),
        "召开领导小组会议部署",
    ),
    (
        "hear",
        "听取法治建设工作情况汇报",
        dt.date(2020, 12, 31),
        dt.date(2020, 12, 18),
        "年内两次听取汇报",
    ),
    ("study", "带头参加集中学法", dt.date(2020, 12, 31), dt.date(2020, 12, 4), "参加全部集中学法"),
    (
        "supervise",
        "督促落实规范性文件合法性审核和清理",
        dt.date(2020, 11, 30),
        dt.date(2020, 11, 20),
        "",
    ),
    ("report", "年终述法", dt.date(2020, 12, 31), dt.date(2020, 12, 28), "在局务会上述法"),
]
STUDIES = [
    (dt.date(2020, 1, 15), "central_group", "学习《中华人民共和国宪法》", "张志强", 28),
    (
        dt.date(2020, 4, 23),
        "lecture",
        "《中华人民共和国固体废物污染环境防治法》修订解读",
        "赵丽",
        46,
    ),
    (dt.date(2020, 6, 11), "pre_meeting", "学习《中华人民共和国民法典》", "张志强", 24),
    (
        dt.date(2020, 7, 16),
        "central_group",
        "学习习近平法治思想和《优化营商环境条例》",
        "王建国",
        27,
    ),
    (dt.date(2020, 9, 10), "training", "行政执法“三项制度”专题培训", "李明", 63),
    (dt.date(2020, 12, 4), "lecture", "国家宪法日专题学法", "赵丽", 52),
]
