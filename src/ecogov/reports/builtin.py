"""The two outlines EcoGov ships, as data (loaded by a data migration and by the demo).

1. 法治政府建设工作总结 — the structure of the seed summary (docs/figures.md §1): 一、the year's work
   in five parts (一)–(五), 二、problems, 三、next year's plans; each figure where the seed
   states it.
2. 法治政府建设年度报告 — the content the annual report must have under the rules on the
   supervision of rule-of-law government building (厅字〔2019〕28号, docs/reports.md): main
   measures and results; the principal leaders' first-responsibility duty; shortcomings and
   their causes; next year's plans; other matters.

Each section: (level, heading, data sentences, guidance). Headings carry no number: numbers
follow from level and order.
"""

from __future__ import annotations

SUMMARY = "法治政府建设工作总结(示例市版式)"
ANNUAL_REPORT = "法治政府建设年度报告(厅字〔2019〕28号)"

_SUMMARY_SECTIONS = [
    (0, "", "", "开篇:全年法治政府建设的指导思想和总体情况。"),
    (1, "{year}年工作情况", "", ""),
    (2, "加强法治政府建设的组织领导和能力建设", "", ""),
    (3, "成立法治建设领导小组", "", "领导小组的组成、办公室和议事情况。"),
    (3, "落实第一责任人责任", "", "主要负责人履行推进法治建设第一责任人职责的制度和做法。"),
    (3, "切实落实“谁执法谁普法”普法责任制", "", "普法计划、责任清单、领导干部学法考法。"),
    (2, "不断完善依法行政制度体系建设", "", ""),
    (
        3,
        "健全生态环境保护法规制度",
        "全年推动出台地方性法规{legislation.passed}部。",
        "立法项目的起草、审议和批准经过。",
    ),
    (
        3,
        "强化规范性文件监督管理",
        "全年对{normative_docs.reviewed}份规范性文件进行了合法性审查。",
        "合法性审查、“三统一”制度、清理情况。",
    ),
    (2, "严格依法履行职责", "", ""),
    (
        3,
        "严格项目审批",
        "我局已审批权限内建设项目{eia.approved.total}个(市级{eia.approved.city_level}个、"
        "县级{eia.approved.county_level}个),其中评审制{eia.approved.review}个、告知承诺制"
        "{eia.approved.commitment}个,另豁免{eia.exempted}个。项目总投资{eia.investment.total}亿元,"
        "环保投资{eia.env_investment.total}亿元。其中市级项目投资{eia.investment.city_level}亿元,"
        "环保投资{eia.env_investment.city_level}亿元;县级项目投资{eia.investment.county_level}亿元,"
        "环保投资{eia.env_investment.county_level}亿元。",
        "",
    ),
    (
        3,
        "严格环境监管",
        "全市共抽查企业{inspections.enterprise_visits}家次,办理环境违法案件{enforcement.cases}件。",
        "专项执法检查行动的名称。",
    ),
    (
        3,
        "积极开展应急演练,确保环境安全",
        "全年开展突发环境事件应急演练{emergency.drills}次,"
        "相关部门和企业{emergency.drills.participants}人参与。",
        "演练的时间、地点和检验效果。",
    ),
    (
        3,
        "全力以赴打好污染防治攻坚战",
        "制定了“夏季攻势”等{campaign.summer.aspects}个方面{campaign.summer.measures}条具体措施,"
        "明确了{campaign.summer.units.counties}个县市区和{campaign.summer.units.departments}个"
        "市直部门工作任务。“夏季攻势”共{campaign.summer.task_categories}大类"
        "{campaign.summer.tasks}个任务,已完成{campaign.summer.tasks.completed}个。",
        "",
    ),
    (
        3,
        "积极抓好中央、省环保督察及省环保督察“回头看”整改",
        "2017年中央环保督察{rectify.central2017.petitions}件信访交办件已办结"
        "{rectify.central2017.petitions.closed}件,{rectify.central2017.problems}个反馈问题完成整改"
        "销号{rectify.central2017.problems.written_off}个。2018年中央生态环境保护督察“回头看”"
        "{rectify.central2018.petitions}件信访交办件已办结{rectify.central2018.petitions.closed}件,"
        "{rectify.central2018.problems}个反馈问题完成整改{rectify.central2018.problems.rectified}个。"
        "2018年省环保督察{rectify.province2018.petitions}件信访交办件已办结"
        "{rectify.province2018.petitions.closed}件,{rectify.province2018.problems}个反馈问题完成整改"
        "{rectify.province2018.problems.rectified}个、销号{rectify.province2018.problems.written_off}"
        "个,{rectify.province2018.transfers}个重点移交问题完成整改销号"
        "{rectify.province2018.transfers.written_off}个。长江保护交办问题{rectify.yangtze.problems}个,"
        "已完成整改{rectify.yangtze.problems.rectified}个,已销号"
        "{rectify.yangtze.problems.written_off}个。挂牌督办问题{rectify.listed.problems}项,已摘牌"
        "{rectify.listed.problems.delisted}项,已完成整改未摘牌"
        "{rectify.listed.problems.rectified_not_delisted}项。省生态环保督察“回头看”转办信访交办件"
        "{rectify.province2020.petitions}件、交办督办件{rectify.province2020.supervised}件,已办结"
        "{rectify.province2020.closed}件。",
        "未完成整改问题的名称和原因。",
    ),
    (
        3,
        "强力推动环境空气质量二级标准达标城市创建工作",
        "全年出动督查人员{airquality.patrols}人次,巡查工地和企业{airquality.patrols.sites}个,"
        "下达问题交办函{airquality.patrols.letters}件。{airquality.attainment}。",
        "组织领导、工作责任、督查督办。",
    ),
    (
        3,
        "努力夯实生态环境基础能力",
        "{year}年完成排污许可证发放{permits.issued}家(包括整改企业"
        "{permits.issued.with_rectification}家)、累计发证{permits.issued_cumulative}家(包括整改企业"
        "{permits.issued_cumulative.with_rectification}家);完成登记备案{permits.registrations}家。",
        "机构改革进展。",
    ),
    (
        3,
        "认真落实环境信访工作,维护社会稳定",
        "全市生态环境系统共受理信访件{petitions.received}件,办结{petitions.closed}件,"
        "办理中{petitions.open}件,办结率{petitions.closure_rate}%。",
        "",
    ),
    (
        3,
        "加强人大建议政协提案办理工作",
        "{year}年承办的建议、提案共{proposals.total}件,其中人大建议{proposals.npc}件(主办"
        "{proposals.npc.lead}件、会办{proposals.npc.co}件);政协提案{proposals.cppcc}件(主办"
        "{proposals.cppcc.lead}件、会办{proposals.cppcc.co}件)。",
        "办理机制和答复情况。",
    ),
    (2, "健全依法决策和依法行政机制", "", "行政执法三项制度、法律顾问。"),
    (
        2,
        "加强法治政府建设宣传工作",
        "全年在“双微”平台推送生态环保信息{publicity.social_posts}条,在政府门户网站环保网页发布"
        "各类信息{publicity.web_articles}篇,发放宣传手册{publicity.booklets}份。获国家级集体荣誉"
        "{honors.national}项,{creations.provincial.counties}个县市区获得省级生态文明建设示范县称号,"
        "{creations.national.counties}个县获得国家生态文明建设示范县称号。举办《固体废物污染环境"
        "防治法》培训{training.solid_waste.batches}批次,{training.solid_waste.attendees}人参加。",
        "宣传活动、宪法宣传日、法律培训。",
    ),
    (1, "存在的问题", "", "存在的问题和不足。"),
    (1, "下一步工作打算", "", "下一年度的工作安排。"),
]

_SUMMARY_RELATIONS = [
    "eia.approved.total = eia.approved.city_level + eia.approved.county_level",
    "eia.approved.total = eia.approved.review + eia.approved.commitment",
    "eia.investment.total = eia.investment.city_level + eia.investment.county_level",
    "eia.env_investment.total = eia.env_investment.city_level + eia.env_investment.county_level",
    "petitions.received = petitions.closed + petitions.open",
    "petitions.closure_rate = petitions.closed / petitions.received",
    "proposals.total = proposals.npc + proposals.cppcc",
    "proposals.npc = proposals.npc.lead + proposals.npc.co",
    "proposals.cppcc = proposals.cppcc.lead + proposals.cppcc.co",
    "rectify.province2020.closed = rectify.province2020.petitions.closed"
    " + rectify.province2020.supervised.closed",
    "rectify.central2017.problems = rectify.central2017.problems.rectified"
    " + rectify.central2017.problems.open",
    "rectify.central2018.problems = rectify.central2018.problems.rectified"
    " + rectify.central2018.problems.open",
    "rectify.province2018.problems = rectify.province2018.problems.rectified"
    " + rectify.province2018.problems.open",
    "rectify.listed.problems = rectify.listed.problems.rectified + rectify.listed.problems.open",
    "airquality.good_days_ratio = airquality.good_days / airquality.valid_days",
]

_REPORT_SECTIONS = [
    (
        0,
        "",
        "根据《法治政府建设与责任落实督察工作规定》,现将{organisation}{year}年度法治政府建设"
        "情况报告如下:",
        "",
    ),
    (1, "{year}年度推进法治政府建设的主要举措和成效", "", ""),
    (
        2,
        "依法全面履行职能",
        "全年审批建设项目环评{eia.approved.total}个,其中告知承诺制{eia.approved.commitment}个;"
        "核发排污许可证{permits.issued}家,完成排污登记{permits.registrations}家。全年检查企业"
        "{inspections.enterprise_visits}家次,办理环境违法案件{enforcement.cases}件,作出行政处罚决定"
        "{enforcement.decisions}件。",
        "“放管服”改革、审批服务、监管执法的主要举措。",
    ),
    (
        2,
        "完善依法行政制度体系",
        "全年推动出台地方性法规{legislation.passed}部,对{normative_docs.reviewed}份规范性文件进行"
        "合法性审查,印发规范性文件{normative_docs.issued}件,开展公平竞争审查"
        "{fair_competition.reviewed}件。",
        "立法、规范性文件管理和清理。",
    ),
    (
        2,
        "严格规范公正文明执法",
        "重大执法决定经法制审核{enforcement.legal_reviewed}件,举行听证{enforcement.hearings}件;"
        "公开行政处罚决定{enforcement.disclosed}件,其中按期公开{enforcement.disclosed_on_time}件。"
        "双随机抽查结果按期公开{inspections.results.published_on_time}家次。",
        "行政执法三项制度的落实。",
    ),
    (
        2,
        "强化对行政权力的制约和监督",
        "办理行政复议案件{reconsideration.cases}件,纠错率{legal.correction_rate}%;行政诉讼案件"
        "{litigation.cases}件,行政机关负责人出庭应诉率{litigation.appearance_rate}%。承办人大代表"
        "建议{proposals.npc}件、政协提案{proposals.cppcc}件。",
        "监督、复议、应诉、政务公开。",
    ),
    (
        2,
        "依法有效化解社会矛盾纠纷",
        "受理环境信访{petitions.received}件,办结{petitions.closed}件,办结率"
        "{petitions.closure_rate}%。全年发生突发环境事件{emergency.incidents}起,开展应急演练"
        "{emergency.drills}次。",
        "信访、调解、应急处置。",
    ),
    (
        2,
        "提升法治思维和依法行政能力",
        "党组理论学习中心组集体学法{study.sessions}次;举办法治培训{training.batches}批次、"
        "{training.attendees}人次;学法考法参考率{law_exam.coverage_rate}%,合格率"
        "{law_exam.pass_rate}%。开展普法宣传活动{outreach.events}次,“双微”平台推送信息"
        "{publicity.social_posts}条。",
        "学法、培训、考法、普法。",
    ),
    (
        1,
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "全年召开法治建设领导小组会议{leading_group.meetings}次。",
        "主要负责人研究部署法治建设、带头学法、推动解决重大问题的情况。",
    ),
    (1, "存在的不足和原因", "", "不足之处及其原因。"),
    (1, "{next_year}年度推进法治政府建设的主要安排", "", "下一年度的主要安排。"),
    (1, "其他需要报告的情况", "", "其他需要报告的情况;无则删去本节。"),
]

_REPORT_RELATIONS = [
    "petitions.closure_rate = petitions.closed / petitions.received",
    "petitions.received = petitions.closed + petitions.open",
]

OUTLINES = [
    {
        "name": SUMMARY,
        "kind": "summary",
        "title": "{organisation}\n{year}年法治政府建设工作总结",
        "description": "按示例市生态环境局2020年法治政府建设工作总结的结构:一、年度工作"
        "((一)至(五));二、存在的问题;三、下一步工作打算。",
        "sections": _SUMMARY_SECTIONS,
        "relations": _SUMMARY_RELATIONS,
    },
    {
        "name": ANNUAL_REPORT,
        "kind": "annual_report",
        "title": "{organisation}\n关于{year}年度法治政府建设情况的报告",
        "description": "法治政府建设年度报告:每年3月1日前报送本级政府,4月1日前向社会公开。"
        "内容为主要举措和成效、主要负责人履行第一责任人职责情况、存在的不足和原因、"
        "下一年度主要安排及其他需要报告的情况。",
        "sections": _REPORT_SECTIONS,
        "relations": _REPORT_RELATIONS,
    },
]


def install(outline_model, section_model, relation_model) -> None:
    """Create the shipped outlines that are missing (idempotent; works on historical models)."""
    for spec in OUTLINES:
        if outline_model.objects.filter(name=spec["name"]).exists():
            continue
        outline = outline_model.objects.create(
            name=spec["name"],
            kind=spec["kind"],
            title=spec["title"],
            description=spec["description"],
            is_builtin=True,
        )
        section_model.objects.bulk_create(
            [
                section_model(
                    outline=outline,
                    position=(i + 1) * 10,
                    level=level,
                    heading=heading,
                    template=template,
                    guidance=guidance,
                )
                for i, (level, heading, template, guidance) in enumerate(spec["sections"])
            ]
        )
        relation_model.objects.bulk_create(
            [
                relation_model(outline=outline, expression=expression)
                for expression in spec["relations"]
            ]
        )


def install_current() -> None:
    from .models import Outline, Relation, Section

    install(Outline, Section, Relation)
