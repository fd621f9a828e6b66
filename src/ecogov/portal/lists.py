"""The portal's lists: for each, the area's public query, how a row is turned into public
fields, the columns of the page and the downloads, and which date the filter and the feed use.

An area's `public_*` function takes `division` (a division path: that division and those below
it), `search`, `since`, `until` and `today`, and returns the public records newest first; its
`public_*_row` turns one into a dict of public values. Nothing else of the area is read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext_lazy as _

from ecogov.airquality import queries as airquality
from ecogov.eia import queries as eia
from ecogov.enforcement import queries as enforcement
from ecogov.inspections import queries as inspections
from ecogov.legal import queries as legal
from ecogov.permits import queries as permits
from ecogov.reports import queries as reports

__all__ = ["LISTS", "PublicList", "by_key", "airquality"]


@dataclass(frozen=True)
class PublicList:
    key: str  # the URL: /portal/<key>/
    title: str
    group: str  # the heading it stands under on the portal's home page
    intro: str  # what the list holds and for how long, with the rule's source
    records: Callable[..., object]  # the area's public query (a queryset, newest first)
    row: Callable[[object], dict]  # the area's public fields of one record
    columns: list[tuple[str, str]]  # (header, key) of the downloads and the detail page
    shown: list[str]  # keys shown in the page's table; the first links to the record
    date: str  # the key of the date the filter means and the feed dates items by
    date_label: str
    text: str = ""  # the key of a long text shown in full on the record's page and the feed
    one: Callable[[int], dict | None] | None = None  # a record's page, if the area decides it
    withdrawn: Callable[[], list[dict]] | None = None  # records taken down: {id, number, withdrawn}
    extras: dict = field(default_factory=dict)


LISTS = [
    PublicList(
        key="draws",
        title=_("双随机抽查名单"),
        group=_("双随机、一公开"),
        intro=_(
            "每次随机抽取的计划、事先公布的随机种子、冻结名录库的输入哈希、抽取结果及其哈希。"
            "检查完成后(或计划期满)20个工作日内公开(政府信息公开条例第二十六条)。"
            "任何人都可以按公布的算法重新计算抽取结果。"
        ),
        records=partial(inspections.public_publications, "draw_list"),
        row=inspections.public_publication_row,
        columns=[
            (_("标题"), "title"),
            (_("抽查计划"), "plan"),
            (_("计划期间"), "period"),
            (_("行政区划"), "division"),
            (_("抽取时间"), "drawn_at"),
            (_("随机种子"), "seed"),
            (_("算法版本"), "algorithm"),
            (_("输入哈希(冻结名录库)"), "input_hash"),
            (_("结果哈希"), "result_hash"),
            (_("抽查对象数"), "checks"),
            (_("抽查对象"), "entities"),
            (_("公开日期"), "published_on"),
        ],
        shown=["title", "division", "seed", "checks", "published_on"],
        date="published_on",
        date_label=_("公开日期"),
    ),
    PublicList(
        key="inspections",
        title=_("随机抽查结果"),
        group=_("双随机、一公开"),
        intro=_(
            "双随机抽查的检查结果,检查之日起20个工作日内公开(国发〔2019〕5号)。"
            "检查人员以姓氏和执法证号公示。"
        ),
        records=partial(inspections.public_publications, "result"),
        row=inspections.public_publication_row,
        columns=[
            (_("检查编号"), "number"),
            (_("检查日期"), "date"),
            (_("被检查单位"), "entity"),
            (_("统一社会信用代码"), "credit_code"),
            (_("行政区划"), "division"),
            (_("检查结果"), "outcome"),
            (_("检查人员(执法证号)"), "inspectors"),
            (_("发现的问题"), "findings"),
            (_("立案编号"), "case_number"),
            (_("公开日期"), "published_on"),
        ],
        shown=["entity", "number", "division", "outcome", "published_on"],
        date="published_on",
        date_label=_("公开日期"),
        text="findings",
    ),
    PublicList(
        key="penalties",
        title=_("行政处罚决定"),
        group=_("行政执法公示"),
        intro=_(
            "具有一定社会影响的行政处罚决定,作出决定之日起7个工作日内公开,公开满三年后不再展示;"
            "决定被撤销、变更或确认违法的,撤下公开内容并作说明(国办发〔2018〕118号)。"
            "自然人姓名、身份证号码和手机号码已作脱敏处理。"
        ),
        records=enforcement.public_disclosures,
        row=enforcement.public_disclosure_row,
        columns=[
            (_("决定书文号"), "number"),
            (_("标题"), "title"),
            (_("行政区划"), "division"),
            (_("决定日期"), "decided_on"),
            (_("公开日期"), "published_on"),
            (_("公开内容"), "content"),
        ],
        shown=["title", "number", "division", "decided_on", "published_on"],
        date="published_on",
        date_label=_("公开日期"),
        text="content",
        one=enforcement.public_disclosure,
        withdrawn=enforcement.public_withdrawals,
    ),
    PublicList(
        key="eia",
        title=_("环评审批公示"),
        group=_("行政许可"),
        intro=_(
            "建设项目环境影响评价文件的受理公示(不少于10个工作日)、拟审批公示(不少于5个工作日)"
            "和审批决定公告,在各自的公示期内展示(环境影响评价公众参与办法)。"
        ),
        records=eia.public_notices,
        row=eia.public_notice_row,
        columns=[
            (_("公示类型"), "kind"),
            (_("项目名称"), "project"),
            (_("受理编号"), "reference"),
            (_("建设单位"), "builder"),
            (_("统一社会信用代码"), "credit_code"),
            (_("项目所在区划"), "division"),
            (_("环评文件类型"), "document_type"),
            (_("公示开始"), "start_on"),
            (_("公示结束"), "end_on"),
            (_("发布渠道"), "where"),
            (_("审批结论"), "decision"),
            (_("批复文号"), "decision_number"),
            (_("决定日期"), "decided_on"),
        ],
        shown=["project", "kind", "builder", "division", "start_on", "end_on"],
        date="start_on",
        date_label=_("公示开始"),
    ),
    PublicList(
        key="permits",
        title=_("排污许可证"),
        group=_("行政许可"),
        intro=_("现行有效的排污许可证的公开信息(排污许可管理条例第二十三条)。"),
        records=permits.public_permits,
        row=permits.public_permit_row,
        columns=[
            (_("许可证编号"), "number"),
            (_("排污单位"), "entity"),
            (_("统一社会信用代码"), "credit_code"),
            (_("行政区划"), "division"),
            (_("生产经营场所地址"), "site"),
            (_("管理类别"), "management_class"),
            (_("行业代码"), "industry_code"),
            (_("发证日期"), "issued_on"),
            (_("有效期至"), "valid_until"),
            (_("许可排放污染物"), "pollutants"),
        ],
        shown=["entity", "number", "division", "management_class", "valid_until"],
        date="issued_on",
        date_label=_("发证日期"),
        text="pollutants",
    ),
    PublicList(
        key="registrations",
        title=_("排污登记"),
        group=_("行政许可"),
        intro=_("现行有效的固定污染源排污登记的公开信息。"),
        records=permits.public_registrations,
        row=permits.public_registration_row,
        columns=[
            (_("登记编号"), "number"),
            (_("单位名称"), "entity"),
            (_("统一社会信用代码"), "credit_code"),
            (_("行政区划"), "division"),
            (_("生产经营场所地址"), "site"),
            (_("行业代码"), "industry_code"),
            (_("登记日期"), "filed_on"),
            (_("有效期至"), "valid_until"),
        ],
        shown=["entity", "number", "division", "filed_on", "valid_until"],
        date="filed_on",
        date_label=_("登记日期"),
    ),
    PublicList(
        key="documents",
        title=_("现行有效的行政规范性文件"),
        group=_("法治政府"),
        intro=_(
            "已公开、已施行且未失效的行政规范性文件;未经公布的文件不得作为管理依据"
            "(国办发〔2018〕37号)。"
        ),
        records=legal.public_documents,
        row=legal.public_document_row,
        columns=[
            (_("文号"), "number"),
            (_("文件名称"), "title"),
            (_("行政区划"), "division"),
            (_("主要内容"), "summary"),
            (_("印发日期"), "issued_on"),
            (_("施行日期"), "effective_from"),
            (_("有效期至"), "valid_until"),
            (_("公开日期"), "published_on"),
            (_("公开途径"), "channel"),
        ],
        shown=["title", "number", "issued_on", "effective_from", "valid_until"],
        date="issued_on",
        date_label=_("印发日期"),
        text="summary",
    ),
    PublicList(
        key="cleanup",
        title=_("规范性文件清理结果"),
        group=_("法治政府"),
        intro=_("已完成的规范性文件和政策措施清理的结论,清理结果向社会公布(国办发〔2018〕37号)。"),
        records=legal.public_cleanup_items,
        row=legal.public_cleanup_row,
        columns=[
            (_("清理工作"), "campaign"),
            (_("文件或政策措施"), "subject"),
            (_("文号"), "number"),
            (_("清理结论"), "verdict"),
            (_("理由"), "reason"),
            (_("行政区划"), "division"),
            (_("完成日期"), "finished_on"),
        ],
        shown=["subject", "verdict", "campaign", "finished_on"],
        date="finished_on",
        date_label=_("完成日期"),
        text="reason",
    ),
    PublicList(
        key="reports",
        title=_("法治政府建设年度报告"),
        group=_("法治政府"),
        intro=_(
            "每年4月1日前向社会公开上一年度的法治政府建设情况报告(法治政府建设与责任落实督察工作规定)。"
        ),
        records=reports.public_reports,
        row=reports.public_report_row,
        columns=[
            (_("标题"), "title"),
            (_("年度"), "year"),
            (_("版本"), "version"),
            (_("行政区划"), "division"),
            (_("成文日期"), "dated"),
            (_("公开日期"), "disclosed_on"),
            (_("公文 SHA-256"), "docx_sha256"),
        ],
        shown=["title", "year", "dated", "disclosed_on"],
        date="disclosed_on",
        date_label=_("公开日期"),
    ),
]

_BY_KEY = {item.key: item for item in LISTS}


def by_key(key: str) -> PublicList | None:
    return _BY_KEY.get(key)
