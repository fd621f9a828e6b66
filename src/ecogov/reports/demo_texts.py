"""示例市's 2020 narratives: the seed summary's words, its figures as references to the records.

Place names of the seed are replaced by 示例市's. The one deliberate exception to "figures as
references": the seed's typed investment totals (215.27 / 6.4 亿元) stay typed, as the bureau
wrote them, so that the consistency check shows them against the ledger (218.5 / 6.61). The
doubled "截至目前,截至目前," of the seed is kept too (the check names it).

Keyed by the section's heading in the shipped summary outline ("" is the opening paragraph).
"""

NARRATIVES_2020 = {
    "": (
        "{year}年,在市委、市政府的正确领导下,我局以习近平生态文明思想为指导,认真贯彻落实全国、"
        "全省、全市生态环境保护大会精神,严格按照《法治政府建设实施纲要(2015—2020年)》,以提高环境"
        "质量、保护生态环境为中心,以“四战两改一清单一铁军”为重点,突出抓整改、抓监管、抓服务,"
        "扎实推进依法行政和法治政府建设各项工作。"
    ),
    "成立法治建设领导小组": (
        "我局将法治建设摆在全局工作的重要位置。为确保法治建设工作的顺利开展,加强推进法治建设工作"
        "领导,我局成立了法治建设工作领导小组,由局长担任领导小组组长,分管领导担任副组长。下设办公室"
        "在法规科,具体负责法治建设统一组织和协调工作。领导小组定期听取本局法治建设情况汇报,及时研究"
        "和解决本局法治建设中存在的突出问题。"
    ),
    "落实第一责任人责任": (
        "认真执行《党政主要负责人履行推进法治建设第一责任人职责规定》,制定《依法行政第一责任人制度》,"
        "将法治政府建设摆在全局工作的重要位置。明确“一把手”负责制,负责组织指导和推进全局法治政府建设"
        "工作的贯彻落实,做到有领导机构、有专人负责,为履行行政执法职责、推进法治政府建设提供了领导和"
        "组织保障。"
    ),
    "切实落实“谁执法谁普法”普法责任制": (
        "一是印发《示例市生态环境局{year}年度普法依法治理工作计划》,动态调整普法责任清单,将习近平"
        "总书记关于全面依法治国的重要论述以及《中华人民共和国宪法》《中华人民共和国土壤污染防治法》等"
        "法律法规纳入普法重点内容。二是加强理论学习,提升履职能力。一年来,我局坚持把领导干部职工法律"
        "法规学习和培训作为依法行政的一项重要基础性工作来抓,通过法律培训学习、更新执法知识及环保大讲堂"
        "等各种途径加强学习。根据市委市政府领导干部职工学法考法的要求,全面组织落实了我局全体干部职工的"
        "学法考法考试。"
    ),
    "健全生态环境保护法规制度": (
        "积极推进环境保护领域立法工作,{year}年代市政府起草了《示例市扬尘污染防治条例》,2020年10月"
        "29日经市人民代表大会常务委员会会议通过,2020年11月27日经省人民代表大会常务委员会会议批准"
        "(全年出台地方性法规{legislation.passed}部)。"
    ),
    "强化规范性文件监督管理": (
        "落实国家和省市关于完善规范性文件合法性审查要求,严格落实规范性文件合法性审查并落实规范性文件"
        "“三统一”工作制度。截至12月底,对《示例市生态环境违法行为举报奖励办法(试行)》、《示例市"
        "“三线一单”》等{normative_docs.reviewed}份规范性文件进行了合法性审查,规范性文件按规范印发。"
        "今年根据相关要求开展了多次规范性文件的清理工作。"
    ),
    "严格项目审批": (
        "严格落实“三线一单”,实行五个“一律不批”,对工程建设项目环评审批事项严格把关,我局已审批权限内"
        "建设项目{eia.approved.total}个(市级{eia.approved.city_level}个、县级"
        "{eia.approved.county_level}个),其中评审制{eia.approved.review}个、告知承诺制"
        "{eia.approved.commitment}个,另豁免{eia.exempted}个。项目总投资215.27亿元,环保投资6.4亿元。"
        "其中市级项目投资{eia.investment.city_level}亿元,环保投资{eia.env_investment.city_level}亿元;"
        "县级项目投资{eia.investment.county_level}亿元,环保投资{eia.env_investment.county_level}亿元,"
        "确保了项目资金落地生根和经济有序发展。"
    ),
    "严格环境监管": (
        "深入开展环境安全隐患大排查、污染源日常监管随机抽查、涉重金属企业环境风险排查、“千吨万人”"
        "饮用水水源地帮扶等专项执法检查行动,全市共抽查企业{inspections.enterprise_visits}家次,办理"
        "环境违法案件数{enforcement.cases}件。"
    ),
    "积极开展应急演练,确保环境安全": (
        "5月20日,指导示例经济开发区管理委员会在辖区企业举行了汛期突发环境事件演练(全年演练"
        "{emergency.drills}次),相关部门和企业{emergency.drills.participants}人参与,有效检验了全市"
        "环境应急救援能力。"
    ),
    "全力以赴打好污染防治攻坚战": (
        "制定出台《示例市污染防治攻坚战{year}年度工作方案、“夏季攻势”任务清单、考核细则》等文件,"
        "全面推进污染防治攻坚战七大标志性战役和四大专项行动,制定了污染防治攻坚战“{year}年夏季攻势”等"
        "{campaign.summer.aspects}个方面{campaign.summer.measures}条具体措施,明确了"
        "{campaign.summer.units.counties}个县市区和{campaign.summer.units.departments}个市直部门"
        "工作任务,定期调度各项工作推进情况。{year}年污染防治攻坚战“夏季攻势”共"
        "{campaign.summer.task_categories}大类{campaign.summer.tasks}个任务,已完成"
        "{campaign.summer.tasks.completed}个。"
    ),
    "积极抓好中央、省环保督察及省环保督察“回头看”整改": (
        "对环保督察交办信访件、反馈问题的整改情况开展全覆盖核查和督查。截至目前,截至目前,2017年中央"
        "环保督察{rectify.central2017.petitions}件信访交办件已完成整改办结"
        "{rectify.central2017.petitions.closed}件,{rectify.central2017.problems}个反馈问题完成整改销号"
        "{rectify.central2017.problems.written_off}个(未完成整改的1个为某矿业公司砷碱渣超期贮存问题)。"
        "2018年中央生态环境保护督察“回头看”{rectify.central2018.petitions}件信访交办件完成整改并办结"
        "{rectify.central2018.petitions.closed}件,{rectify.central2018.problems}个反馈问题完成整改"
        "{rectify.central2018.problems.rectified}个。2018年省环保督察{rectify.province2018.petitions}件"
        "信访交办件完成整改办结{rectify.province2018.petitions.closed}件,"
        "{rectify.province2018.problems}个反馈问题完成整改{rectify.province2018.problems.rectified}个、"
        "销号{rectify.province2018.problems.written_off}个,{rectify.province2018.transfers}个重点移交"
        "问题完成整改销号{rectify.province2018.transfers.written_off}个。国家长江办交办、长江经济带"
        "警示片以及省长江办“举一反三”自查交办问题{rectify.yangtze.problems}个,已完成整改"
        "{rectify.yangtze.problems.rectified}个,已销号{rectify.yangtze.problems.written_off}个。省整改办"
        "挂牌督办问题{rectify.listed.problems}项,已摘牌{rectify.listed.problems.delisted}项,已完成整改"
        "{rectify.listed.problems.rectified_not_delisted}项。10月23日至11月6日,配合省督察组完成对我市"
        "省生态环保督察“回头看”工作,转办信访交办件{rectify.province2020.petitions}件、督察组下沉"
        "交办、督办件{rectify.province2020.supervised}件,已办结{rectify.province2020.closed}件。"
    ),
    "强力推动环境空气质量二级标准达标城市创建工作": (
        "一是强化组织领导。继续从市直有关单位抽调人员充实空气质量达标城市创建办公室,安排专项工作经费"
        "和监管执法装备、车辆。二是落实工作责任。下发了《{year}年示例市创建环境空气质量二级标准达标"
        "城市工作方案》,对相关单位的大气污染防治责任进一步进行了明确。三是加强督查督办。全年出动督查"
        "人员{airquality.patrols}人次,巡查工地和企业{airquality.patrols.sites}个,下达问题交办函"
        "{airquality.patrols.letters}件,市城区空气环境质量得到有效改善,{airquality.attainment},"
        "创建工作取得历史性突破。"
    ),
    "努力夯实生态环境基础能力": (
        "一是积极推进体制改革。制定了各项改革实施方案,完成了市局领导班子管理权限交接和生态环境监测"
        "中心挂牌上收。二是积极推进排污许可发证工作。{year}年完成排污许可证发放{permits.issued}家"
        "(包括整改企业{permits.issued.with_rectification}家)、累计发证{permits.issued_cumulative}家(包括"
        "整改企业{permits.issued_cumulative.with_rectification}家);完成登记备案{permits.registrations}家,"
        "已全面完成固定源排污许可工作的发证、登记工作,提前2个月完成部里的相关要求。"
    ),
    "认真落实环境信访工作,维护社会稳定": (
        "全市生环系统共受理及办理{petitions.received}件,办结{petitions.closed}件,办理中"
        "{petitions.open}件,办结率{petitions.closure_rate}%。"
    ),
    "加强人大建议政协提案办理工作": (
        "我局历来高度重视市人大代表建议和政协委员提案办理工作,成立了以局主要领导为组长的办理工作"
        "领导组,实行“主要领导负总责、分管领导抓落实、业务科室同承担、全局之力共办理”的工作机制。"
        "{year}年承办的建议、提案共{proposals.total}件,其中人大建议{proposals.npc}件、主办"
        "{proposals.npc.lead}件、会办{proposals.npc.co}件;政协提案{proposals.cppcc}件、其中主办"
        "{proposals.cppcc.lead}件、会办{proposals.cppcc.co}件,均完成答复工作并得到了代表委员们的认可。"
    ),
    "健全依法决策和依法行政机制": (
        "为进一步提高执法透明度,实行阳光执法,规范全市生态环境系统行政检查、行政许可、行政处罚、行政"
        "强制等行为,制定了《示例市生态环境局全面推行行政执法公示制度执法全过程记录制度重大执法决定"
        "法制审核制度的实施方案》。\n"
        "同时,为进一步完善法律风险化解机制,我局与律师事务所签订常年法律顾问合同,聘请执业律师为我局"
        "法律顾问,为依法行政和规范执法工作提供有力的支持。"
    ),
    "加强法治政府建设宣传工作": (
        "依托官方微信号、官方微博“双微平台”以及市人民政府门户网站环保网页开展生态环保宣传,今年来共在"
        "双微平台推送生态环保信息{publicity.social_posts}条,在门户网站环保网页共计发布各类信息"
        "{publicity.web_articles}篇。开展6·5世界环境日活动,向群众发放“保护野生动植物”和“公民生态环境"
        "十条行为规范”等宣传手册{publicity.booklets}份,引导群众积极参与生态环境事务。同时,积极完成"
        "污染源普查,获国家级集体荣誉{honors.national}项;继续推进生态文明示范市、县创建,"
        "{creations.provincial.counties}个县市区获得省级生态文明建设示范县称号,"
        "{creations.national.counties}个县获得国家生态文明建设示范县称号。\n"
        "持续开展法治宣传活动,落实“谁执法谁普法”责任。每年12.4宪法宣传日进行国家宪法日宣传活动,"
        "提高了广大群众知法、学法、守法、用法的意识。\n"
        "{year}年新《中华人民共和国固体废物污染环境防治法》修订实施后,我市先后举办《固体废物污染环境"
        "防治法》及固体废物规范化管理培训会议{training.solid_waste.batches}批次,组织各县市区政府及其"
        "相关部门和相关企业负责人{training.solid_waste.attendees}人参加了培训,增强了法律法规意识。"
    ),
    "存在的问题": (
        "今年来,虽然在法治政府建设方面,我们做了大量工作,但也还存在一些问题和不足:1.环境执法队伍"
        "建设仍需加强,执法人员普遍存在人员编制不足、能力不强的问题;2.部门配合有待加强,环境监管的执法"
        "未能形成真正的合力;3.环保督察整改成果有待巩固提升。"
    ),
    "下一步工作打算": (
        "{next_year}年,我们将法治政府建设与环保业务工作紧密结合,以法治思维指导环保业务工作。重点是"
        "坚持问题导向,继续狠抓环保督察整改和污染防治攻坚战重点工作落实。主要抓好以下几项工作:\n"
        "1.加强执法监管。深入开展生态环境保护执法大练兵及专项执法等各类专项行动,逐步完善环保执法"
        "改革体系。\n"
        "2.全力以赴推进环保督察问题整改。加紧对未完成问题整改,各相关部门和单位要加强汇报和沟通。\n"
        "3.提升生态环保基础能力。强化党建工作引领,推进生态环境体制改革,做好环保宣传工作。\n"
        "4.积极服务经济建设。加强新建项目环保准入把关,进一步推进排污许可证管理,督促企业达标排放。"
    ),
}
