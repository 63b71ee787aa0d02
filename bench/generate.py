"""Deterministic synthetic inputs for the benchmark (and its smoke test).

Everything here is a pure function of the seed and the sizes: the same seed
gives byte-identical files.  Every record and document carries the rule ids it
is *meant* to break (written to ``manifest.json``), so the smoke test can check
the mix against the real evaluator.

The mix (per record, drawn independently):

* projects (项目台账): ~88.5 % clean, ~10 % break exactly one finding rule
  (PREFAB-MANDATE-GOV, PREFAB-MANDATE-GOV-UNKNOWN, APPROVAL-STAGES-*, APPROVAL-DURATION-*),
  ~1.5 % break two or three at once.  Clean projects still exercise the subsidy
  pack (most social-investment projects are in a subsidy window).
* approval items (办件): ~90 % clean (in-scope items handled in 0–1 working day,
  out-of-scope items in any time), ~10 % break one rule (ONE-DAY-LATE,
  ONE-DAY-OPEN-OVERDUE, ONE-DAY-UNDECIDABLE).  A few rows of one item type carry
  a promised time of 3 days, so each file also has one ONE-DAY-PROMISED finding
  (per item type, not per row).
* documents (公文): 5–30 KB of UTF-8 text (triangular, mode 25 KB, mean ~20 KB);
  ~70 % clean, ~25 % with one kind of finding, ~5 % with two or three
  (DOC-ISSUER-SELF 我市, DOC-NUMBER-LEADING-ZERO 〔2024〕012号,
  DOC-DATE-LEADING-ZERO 2024年05月31日, DOC-TYPO 接照, DOC-DATE-SCHEDULE-PAST).

Reference date for everything: AS_OF (pass ``--as-of`` with it).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 4
AS_OF = date(2025, 11, 25)

# ----------------------------------------------------------------- rule ids

PREFAB_GOV = "PREFAB-MANDATE-GOV"
PREFAB_UNKNOWN = "PREFAB-MANDATE-GOV-UNKNOWN"
STAGES_RES = "APPROVAL-STAGES-RESIDENTIAL"
DURATION_RES = "APPROVAL-DURATION-RESIDENTIAL"
STAGES_IND = "APPROVAL-STAGES-INDUSTRIAL"
DURATION_IND = "APPROVAL-DURATION-INDUSTRIAL"
ONE_DAY_LATE = "ONE-DAY-LATE"
ONE_DAY_OPEN = "ONE-DAY-OPEN-OVERDUE"
ONE_DAY_UNDECIDABLE = "ONE-DAY-UNDECIDABLE"
ONE_DAY_PROMISED = "ONE-DAY-PROMISED"
DOC_SELF = "DOC-ISSUER-SELF"
DOC_NUMBER_ZERO = "DOC-NUMBER-LEADING-ZERO"
DOC_DATE_ZERO = "DOC-DATE-LEADING-ZERO"
DOC_TYPO = "DOC-TYPO"
DOC_SCHEDULE_PAST = "DOC-DATE-SCHEDULE-PAST"

PROJECT_SINGLE = [PREFAB_GOV, PREFAB_UNKNOWN, STAGES_RES, DURATION_RES, STAGES_IND, DURATION_IND]
PROJECT_SINGLE_WEIGHTS = [30, 10, 20, 20, 10, 10]
PROJECT_MULTI = [(STAGES_RES, DURATION_RES), (STAGES_IND, DURATION_IND), (PREFAB_GOV, STAGES_RES, DURATION_RES)]
APPROVAL_SINGLE = [ONE_DAY_LATE, ONE_DAY_OPEN, ONE_DAY_UNDECIDABLE]
APPROVAL_SINGLE_WEIGHTS = [70, 20, 10]
DOC_FINDINGS = [DOC_SELF, DOC_NUMBER_ZERO, DOC_DATE_ZERO, DOC_TYPO, DOC_SCHEDULE_PAST]

P_ONE = 0.10  # share of records breaking exactly one rule
P_SEVERAL = 0.015  # share of projects breaking two or three
P_DOC_ONE = 0.25
P_DOC_SEVERAL = 0.05

# Chinese ledger headers, as in examples/ledger.csv and examples/approvals.csv
PROJECT_HEADER = [
    "编号",
    "项目名称",
    "建筑类别",
    "投资类型",
    "建筑面积",
    "装配率",
    "施工许可日期",
    "竣工验收日期",
    "项目类型",
    "审批环节",
    "审批用时(工作日)",
    "备注",
]
APPROVAL_HEADER = ["编号", "事项名称", "项目编号", "受理日期", "办结日期", "承诺时限(工作日)"]

CATEGORY_LABELS = {
    "commercial_residential": ["商住", "商住建筑", "住宅"],
    "public": ["公共建筑"],
    "industrial": ["工业建筑"],
    "affordable_housing": ["保障性住房"],
    "other": ["其他"],
}
SOCIAL_CATEGORIES = (
    ["commercial_residential", "public", "industrial", "other", "affordable_housing"],
    [50, 15, 25, 5, 5],
)
FLOW_TYPES = {
    "general_residential": "社会投资一般住宅项目",
    "general_industrial": "社会投资一般工业项目",
    "other": "其他",
}
STAGE_NAMES = ["立项用地规划许可", "工程建设许可", "施工许可", "竣工验收", "联合测绘", "消防设计审查"]
NAME_PARTS = (
    [
        "城南",
        "城北",
        "滨河",
        "白河湾",
        "樊集",
        "王庄",
        "上港",
        "沙堰",
        "新甸铺",
        "施庵",
        "歪子",
        "五星",
        "溧河铺",
        "汉华",
        "书院",
        "朝阳",
        "锦绣",
        "中原",
        "汉城",
        "仁和",
        "创业",
        "文化",
        "康乐",
        "永安",
    ],
    [
        "商住小区",
        "花园",
        "国际社区",
        "华庭",
        "机械厂房",
        "综合楼",
        "安置房",
        "保障性住房小区",
        "服务中心",
        "物流园",
        "标准化厂房",
        "学校教学楼",
        "医院门诊楼",
        "商业综合体",
        "幼儿园",
        "体育馆",
    ],
    ["一期", "二期", "三期", "", "", "A区", "B区"],
)

IN_SCOPE_ITEMS = (["建筑工程施工许可证核发", "建筑工程施工许可证核发（新办）", "施工许可证核发"], [80, 10, 10])
OUT_OF_SCOPE_ITEMS = (
    ["商品房预售许可", "建设工程消防验收", "建设工程竣工验收备案", "房屋建筑工程质量监督注册"],
    [30, 20, 30, 20],
)
OUT_OF_SCOPE_PROMISED = {
    "商品房预售许可": 10,
    "建设工程消防验收": 12,
    "建设工程竣工验收备案": 5,
    "房屋建筑工程质量监督注册": 3,
}
P_IN_SCOPE = 0.7


# ----------------------------------------------------------------- calendar

_workday_cache: dict[date, bool] = {}


def is_workday(d: date) -> bool:
    """State Council calendar (chinese_calendar); only called for years it knows."""
    hit = _workday_cache.get(d)
    if hit is None:
        import chinese_calendar

        hit = _workday_cache[d] = chinese_calendar.is_workday(d)
    return hit


def add_workdays(start: date, n: int) -> date:
    """The date n working days after `start` (the start day itself is not counted); n=0: start."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_workday(d):
            n -= 1
    return d


def workday_on_or_after(d: date) -> date:
    while not is_workday(d):
        d += timedelta(days=1)
    return d


# ----------------------------------------------------------------- value formats


def fmt_date(rng: random.Random, d: date) -> str:
    style = rng.random()
    if style < 0.6:
        return d.isoformat()
    if style < 0.85:
        return f"{d.year}/{d.month}/{d.day}"
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_area(rng: random.Random, area: float) -> str:
    style = rng.random()
    if area == int(area):
        a = int(area)
        if style < 0.5:
            return str(a)
        if style < 0.7:
            return f"{a:,}"
        if style < 0.85:
            return f"{a}㎡"
        if a % 1000 == 0:
            return f"{a / 10000:g}万平方米"
        return f"{a}平方米"
    return f"{area:.1f}"


def fmt_rate(rng: random.Random, rate: int) -> str:
    return f"{rate}%" if rng.random() < 0.7 else str(rate)


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


# ----------------------------------------------------------------- projects


@dataclass
class Project:
    id: str
    name: str
    category: str
    investment: str
    area: float
    rate: int | None
    permit: date
    accepted: date | None
    flow_type: str | None = None
    stages: list[str] = field(default_factory=list)
    flow_days: int | None = None
    note: str = ""
    breaks: tuple[str, ...] = ()


def _area(rng: random.Random, category: str) -> float:
    low, high = {
        "commercial_residential": (8000, 200000),
        "public": (3000, 60000),
        "industrial": (2000, 80000),
        "affordable_housing": (5000, 80000),
        "other": (1000, 20000),
    }[category]
    a = round(rng.uniform(low, high) / 100) * 100
    if rng.random() < 0.05:
        return a + 0.5
    return float(a)


def _stages(rng: random.Random, n: int) -> list[str]:
    return rng.sample(STAGE_NAMES, n)


def project(rng: random.Random, index: int) -> Project:
    roll = rng.random()
    if roll < P_SEVERAL:
        breaks = tuple(rng.choice(PROJECT_MULTI))
    elif roll < P_SEVERAL + P_ONE:
        breaks = (rng.choices(PROJECT_SINGLE, PROJECT_SINGLE_WEIGHTS)[0],)
    else:
        breaks = ()
    b = set(breaks)
    name = rng.choice(NAME_PARTS[0]) + rng.choice(NAME_PARTS[1]) + rng.choice(NAME_PARTS[2])

    # investment and category
    if b & {PREFAB_GOV, PREFAB_UNKNOWN}:
        investment = "government"
        category = rng.choice(["public", "affordable_housing"])
    elif b & {STAGES_RES, DURATION_RES}:
        investment, category = "social", "commercial_residential"
    elif b & {STAGES_IND, DURATION_IND}:
        investment, category = "social", "industrial"
    elif rng.random() < 0.25:
        investment = "government"
        category = rng.choices(["public", "affordable_housing", "industrial", "other"], [45, 35, 10, 10])[0]
    else:
        investment = "social"
        category = rng.choices(*SOCIAL_CATEGORIES)[0]

    # prefabrication rate
    if PREFAB_UNKNOWN in b:
        rate = None
    elif PREFAB_GOV in b:
        rate = rng.randint(10, 49)
    elif investment == "government" and category in ("public", "affordable_housing"):
        rate = rng.randint(50, 75)
    else:
        rate = rng.randint(15, 75) if rng.random() < 0.95 else None

    permit = random_date(rng, date(2020, 1, 1), date(2025, 6, 30))
    accepted = permit + timedelta(days=rng.randint(300, 1000))
    if accepted > AS_OF:
        accepted = None

    p = Project(
        id=f"P{index:07d}",
        name=name,
        category=category,
        investment=investment,
        area=_area(rng, category),
        rate=rate,
        permit=permit,
        accepted=accepted,
        breaks=breaks,
    )

    # approval flow
    residential = b & {STAGES_RES, DURATION_RES}
    industrial = b & {STAGES_IND, DURATION_IND}
    if residential or (
        not b and category == "commercial_residential" and investment == "social" and rng.random() < 0.4
    ):
        p.flow_type = "general_residential"
        p.stages = _stages(rng, rng.randint(4, 5) if STAGES_RES in b else 3)
        p.flow_days = rng.randint(29, 45) if DURATION_RES in b else rng.randint(12, 28)
    elif industrial or (not b and category == "industrial" and investment == "social" and rng.random() < 0.4):
        p.flow_type = "general_industrial"
        p.stages = _stages(rng, rng.randint(3, 4) if STAGES_IND in b else 2)
        p.flow_days = rng.randint(27, 40) if DURATION_IND in b else rng.randint(10, 26)
    elif not b and rng.random() < 0.05:
        p.flow_type = "other"
        p.stages = _stages(rng, rng.randint(2, 6))
        p.flow_days = rng.randint(10, 60)
    if rng.random() < 0.1:
        p.note = rng.choice(["主体施工中", "已申报补贴", "资料待补", "年度重点项目", "按原审批流程办理"])
    return p


def project_row(rng: random.Random, p: Project) -> list[str]:
    """One CSV row under PROJECT_HEADER, with the value formats seen in real ledgers."""
    return [
        p.id,
        p.name,
        rng.choice(CATEGORY_LABELS[p.category]),
        {"government": "政府投资", "social": "社会投资"}[p.investment],
        fmt_area(rng, p.area),
        "" if p.rate is None else fmt_rate(rng, p.rate),
        fmt_date(rng, p.permit),
        "" if p.accepted is None else fmt_date(rng, p.accepted),
        FLOW_TYPES[p.flow_type] if p.flow_type else "",
        rng.choice("、；").join(p.stages),
        "" if p.flow_days is None else str(p.flow_days),
        p.note,
    ]


def project_json(p: Project) -> dict:
    out: dict = {
        "id": p.id,
        "name": p.name,
        "category": p.category,
        "investment": p.investment,
        "floor_area_m2": p.area if p.area != int(p.area) else int(p.area),
    }
    if p.rate is not None:
        out["prefab_rate_pct"] = p.rate
    out["permit_date"] = p.permit.isoformat()
    if p.accepted is not None:
        out["completion_acceptance_date"] = p.accepted.isoformat()
    if p.flow_type:
        out["approval_flow"] = {"type": p.flow_type, "stages": p.stages, "working_days": p.flow_days}
    return out


# ----------------------------------------------------------------- approvals


@dataclass
class ApprovalItem:
    id: str
    item: str
    project_id: str | None
    accepted: date
    completed: date | None
    promised: int | None
    breaks: tuple[str, ...] = ()


def approval(rng: random.Random, index: int, n_projects: int) -> ApprovalItem:
    roll = rng.random()
    breaks = (rng.choices(APPROVAL_SINGLE, APPROVAL_SINGLE_WEIGHTS)[0],) if roll < P_ONE else ()
    in_scope = bool(breaks) or rng.random() < P_IN_SCOPE
    item = rng.choices(*(IN_SCOPE_ITEMS if in_scope else OUT_OF_SCOPE_ITEMS))[0]
    if in_scope:
        # a few rows of the plain 施工许可证核发 type still carry the old 3-day promise: one
        # ONE-DAY-PROMISED finding per file (per item type), not a per-row break
        promised = 3 if item == "施工许可证核发" and rng.random() < 0.3 else 1
    else:
        promised = OUT_OF_SCOPE_PROMISED[item]
    project_id = f"P{rng.randint(1, n_projects):07d}" if n_projects and rng.random() < 0.8 else None

    rule = breaks[0] if breaks else None
    if rule == ONE_DAY_UNDECIDABLE:  # legacy rows before the calendar's first year (2004)
        accepted = random_date(rng, date(2003, 12, 15), date(2003, 12, 30))
        completed = accepted + timedelta(days=rng.randint(3, 10))
    elif rule == ONE_DAY_OPEN:
        accepted = workday_on_or_after(AS_OF - timedelta(days=rng.randint(4, 60)))
        if add_workdays(accepted, 2) > AS_OF:
            accepted = AS_OF - timedelta(days=10)
            accepted = workday_on_or_after(accepted)
        completed = None
    elif not breaks and rng.random() < 0.02:  # open, but accepted today: 0 working days used
        accepted, completed = AS_OF, None
    else:
        accepted = workday_on_or_after(random_date(rng, date(2023, 1, 1), date(2025, 10, 31)))
        if rule == ONE_DAY_LATE:
            completed = add_workdays(accepted, rng.randint(2, 6))
        elif in_scope:
            completed = add_workdays(accepted, rng.choices([0, 1], [35, 65])[0])
        else:
            completed = add_workdays(accepted, rng.randint(0, 15))
    return ApprovalItem(
        id=f"A{index:07d}",
        item=item,
        project_id=project_id,
        accepted=accepted,
        completed=completed,
        promised=promised,
        breaks=breaks,
    )


def approval_row(rng: random.Random, a: ApprovalItem) -> list[str]:
    return [
        a.id,
        a.item,
        a.project_id or "",
        fmt_date(rng, a.accepted),
        "" if a.completed is None else fmt_date(rng, a.completed),
        "" if a.promised is None else str(a.promised),
    ]


def approval_json(a: ApprovalItem) -> dict:
    out: dict = {"kind": "approval", "id": a.id, "item": a.item}
    if a.project_id:
        out["project_id"] = a.project_id
    out["accepted_on"] = a.accepted.isoformat()
    if a.completed is not None:
        out["completed_on"] = a.completed.isoformat()
    if a.promised is not None:
        out["promised_working_days"] = a.promised
    return out


# ----------------------------------------------------------------- documents

ISSUERS = [
    ("新野县住房和城乡建设局", "新住建", "各股室、局属各单位"),
    ("新野县人民政府办公室", "新政办", "各乡镇人民政府，县人民政府各部门"),
    (
        "新野县工程建设项目审批制度改革工作领导小组办公室",
        "新工改办",
        "县工程建设项目审批制度改革工作领导小组各成员单位",
    ),
]
TOPICS = [
    "进一步加强装配式建筑推广应用工作",
    "开展建筑施工安全生产专项整治",
    "做好住宅工程质量常见问题防治工作",
    "规范工程建设项目审批服务",
    "开展物业服务质量提升行动",
    "做好城镇老旧小区改造工作",
    "加强建筑市场监督管理",
    "推进工程建设项目审批“一件事一次办”改革",
    "做好保障性住房建设管理工作",
    "开展建设工程消防验收专项检查",
]
CITED = [
    "《关于加快推进装配式建筑发展的实施意见》（新政办〔2022〕34号）",
    "《南阳市工程建设项目审批管理办法》（宛建行规〔2021〕7号）",
    "《河南省人民政府办公厅关于大力发展装配式建筑的实施意见》（豫政办〔2023〕15号）",
    "《新野县工程建设项目审批管理规定》（新工改办〔2022〕16号）",
    "《关于进一步规范转发上级文件工作的通知》（新住建〔2024〕58号）",
]
OPENINGS = [
    "为深入贯彻落实党中央、国务院关于推动城乡建设绿色发展的决策部署，根据{cited}精神，结合我县工作实际，现就有关事项通知如下。",
    "为进一步优化营商环境，提升工程建设项目审批服务效能，根据{cited}要求，经县政府同意，现将有关事项通知如下。",
    "为切实加强全县住房和城乡建设领域监督管理，按照{cited}有关规定，结合本县实际，现就做好相关工作通知如下。",
]
HEADINGS = [
    "提高思想认识",
    "明确工作目标",
    "突出工作重点",
    "强化部门协作",
    "严格监督检查",
    "加强宣传引导",
    "健全长效机制",
    "压实主体责任",
    "优化服务流程",
    "加强队伍建设",
    "强化信息化支撑",
    "严格考核问效",
]
SENTENCES = [
    "各单位要充分认识做好此项工作的重要意义，把思想和行动统一到县委、县政府的决策部署上来，切实增强责任感和紧迫感。",
    "要坚持问题导向和目标导向相结合，聚焦群众反映强烈的突出问题，逐项梳理、建立台账，确保各项任务落到实处。",
    "县住房和城乡建设局负责统筹协调，会同县自然资源局、县发展改革委等部门加强业务指导，形成工作合力。",
    "各乡镇人民政府要落实属地管理责任，明确分管领导和具体责任人，做到守土有责、守土尽责。",
    "建设单位是工程质量安全的首要责任人，要依法履行基本建设程序，严格落实工程质量终身责任制。",
    "施工单位要健全安全生产管理体系，按规定配备专职安全生产管理人员，认真开展隐患排查治理。",
    "监理单位要认真履行监理职责，加强对关键部位、关键工序的旁站监理，发现问题及时督促整改。",
    "要充分利用工程建设项目审批管理系统，推行网上申报、网上审批、网上反馈，实现审批全流程留痕可追溯。",
    "对符合条件的项目，要主动靠前服务，提前介入指导，帮助企业解决审批过程中遇到的困难和问题。",
    "要严格执行首问负责、一次性告知、限时办结等制度，坚决杜绝推诿扯皮、吃拿卡要等不良现象。",
    "要加大对装配式建筑相关政策的宣传力度，通过多种形式解读扶持政策，营造全社会关心支持的良好氛围。",
    "政府投资的公共建筑和保障性住房项目要带头采用装配式建造方式，发挥示范引领作用。",
    "各相关部门要按照职责分工，加强对预制构件生产、运输、安装等环节的质量监管，确保工程质量。",
    "要加强对从业人员的培训教育，提高一线作业人员的技能水平和安全意识，推动行业高质量发展。",
    "对工作中发现的违法违规行为，要依法依规严肃处理，并按规定纳入信用管理，形成有效震慑。",
    "要建立健全工作调度机制，定期召开专题会议，研究解决工作推进中的重点难点问题。",
    "各单位要加强信息报送工作，及时总结推广好的经验做法，对工作中出现的新情况新问题要及时报告。",
    "要坚持以人民为中心的发展思想，着力解决群众急难愁盼问题，不断增强人民群众的获得感、幸福感、安全感。",
    "物业服务企业要严格按照合同约定提供服务，公开服务内容、服务标准和收费标准，自觉接受业主监督。",
    "要加强对老旧小区改造项目的全过程管理，充分征求居民意见，做到改造前问需于民、改造中问计于民、改造后问效于民。",
    "消防验收和备案抽查工作要严格依照有关技术标准开展，对不符合要求的项目不得出具合格意见。",
    "要进一步精简审批环节、压缩审批时限，推动审批事项应减尽减、审批材料应简尽简。",
    "县政务服务中心要做好窗口服务保障工作，合理设置综合受理窗口，为企业群众提供便捷高效的服务。",
    "各单位要严格落实廉政建设有关规定，规范权力运行，自觉接受纪检监察机关和社会各界的监督。",
    "河南省住房和城乡建设厅、南阳市住房和城乡建设局对此项工作高度重视，多次提出明确要求，各单位务必认真落实。",
    "要统筹发展和安全，守牢安全生产底线，坚决防范和遏制较大及以上生产安全事故发生。",
    "要加强对住宅工程渗漏、开裂等质量常见问题的治理，从设计、施工、验收等环节全过程加强管控。",
    "对保障性住房项目，要严格把好准入关、分配关和退出关，确保公平公正、阳光透明。",
    "要结合本地实际，细化工作措施，创新工作方法，确保各项工作有序推进、取得实效。",
    "各单位在工作中遇到的问题，请及时与县住房和城乡建设局相关股室联系。",
]
SCHEDULE_STEPS = [
    ("动员部署阶段", "各单位于{d}前完成动员部署，制定具体实施方案"),
    ("自查自纠阶段", "各单位于{d}前完成自查自纠，建立问题台账"),
    ("集中整治阶段", "{d}前完成问题整改，并报送整改情况"),
    ("总结提升阶段", "各单位于{d}前报送工作总结"),
]
TYPO_SENTENCE = "各单位要接照县委、县政府的统一部署，认真抓好各项工作的落实。"
SELF_SENTENCE = "各单位要结合我市工作实际，认真抓好贯彻落实。"
CN_NUMERALS = "一二三四五六七八九十"


def _cn_index(i: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1 ≤ i ≤ 99)."""
    tens, ones = divmod(i, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMERALS[tens - 1] + "十")
    return head + ("" if ones == 0 else CN_NUMERALS[ones - 1])


@dataclass
class Doc:
    name: str
    text: str
    breaks: tuple[str, ...]


def document(rng: random.Random, index: int) -> Doc:
    roll = rng.random()
    if roll < P_DOC_SEVERAL:
        breaks = tuple(sorted(rng.sample(DOC_FINDINGS, rng.randint(2, 3))))
    elif roll < P_DOC_SEVERAL + P_DOC_ONE:
        breaks = (rng.choice(DOC_FINDINGS),)
    else:
        breaks = ()
    b = set(breaks)
    target_bytes = int(rng.triangular(5_000, 30_000, 25_000))
    issuer, prefix, recipients = rng.choice(ISSUERS)
    issued = random_date(rng, date(2023, 3, 1), date(2025, 10, 31))
    serial = rng.randint(1, 99)
    if DOC_NUMBER_ZERO in b:
        serial = rng.randint(1, 9)
        number = f"{prefix}〔{issued.year}〕0{serial}号"
    else:
        number = f"{prefix}〔{issued.year}〕{serial}号"
    date_line = (
        f"{issued.year}年{issued.month:02d}月{issued.day:02d}日"
        if DOC_DATE_ZERO in b
        else f"{issued.year}年{issued.month}月{issued.day}日"
    )
    if DOC_DATE_ZERO in b and issued.month >= 10 and issued.day >= 10:  # make sure a zero is written
        issued = issued.replace(day=rng.randint(1, 9))
        date_line = f"{issued.year}年{issued.month:02d}月{issued.day:02d}日"

    head = [f"{issuer}文件", "", number, "", f"关于{rng.choice(TOPICS)}的通知", "", f"{recipients}：", ""]
    head.append(rng.choice(OPENINGS).format(cited=rng.choice(CITED)))
    head.append("")
    # the schedule (进度安排) section and the closing come last; size the middle to the target
    schedule_dates = []
    for k in range(len(SCHEDULE_STEPS)):
        schedule_dates.append(issued + timedelta(days=20 + 30 * k + rng.randint(0, 10)))
    past_step = rng.randrange(len(SCHEDULE_STEPS)) if DOC_SCHEDULE_PAST in b else None
    if past_step is not None:
        schedule_dates[past_step] = issued - timedelta(days=rng.randint(30, 400))
    schedule = ["", "{n}、进度安排", ""]
    for k, (stage, text) in enumerate(SCHEDULE_STEPS):
        d = schedule_dates[k]
        schedule.append(f"（{_cn_index(k + 1)}）{stage}。" + text.format(d=f"{d.year}年{d.month}月{d.day}日") + "。")
    tail = [
        "",
        f"联系人：县住房和城乡建设局办公室，联系电话：0377-{rng.randint(6000000, 6999999)}。",
        "",
        issuer,
        date_line,
        "",
    ]

    specials = []
    if DOC_TYPO in b:
        specials.append(TYPO_SENTENCE)
    if DOC_SELF in b:
        specials.append(SELF_SENTENCE)
    fixed = len("\n".join(head + schedule + tail).encode("utf-8")) + sum(len(x.encode("utf-8")) for x in specials)
    budget = target_bytes - fixed  # body bytes; paragraphs are added while they fit
    body: list[str] = []
    size = 0
    section = 0
    headings = rng.sample(HEADINGS, len(HEADINGS))
    full = False
    while not full and section < 60:
        section += 1
        paragraphs = [f"{_cn_index(section)}、{headings[(section - 1) % len(headings)]}"]
        cost = len(paragraphs[0].encode("utf-8")) + 2
        for _ in range(rng.randint(2, 4)):
            paragraph = "".join(rng.sample(SENTENCES, rng.randint(3, 6)))
            extra = len(paragraph.encode("utf-8")) + 2
            if size + cost + extra > budget:
                full = True
                break
            paragraphs.append(paragraph)
            cost += extra
        if len(paragraphs) == 1:  # not even one paragraph fits: no empty section
            section -= 1
            break
        body.append("\n\n".join(paragraphs))
        size += cost
    if not body:
        section = 1
        body.append(f"一、{headings[0]}\n\n{SENTENCES[0]}")
    for s in specials:  # each planted sentence once, inside a random body paragraph
        k = rng.randrange(len(body))
        body[k] = body[k] + s
    schedule[1] = schedule[1].format(n=_cn_index(section + 1))
    text = "\n".join(head) + "\n" + "\n\n".join(body) + "\n" + "\n".join(schedule + tail)
    return Doc(name=f"doc{index:05d}.txt", text=text, breaks=breaks)


SMALL_DOCUMENT = """新野县住房和城乡建设局文件

新住建〔2024〕58号

关于做好住宅工程质量常见问题防治工作的通知

各股室、局属各单位：

为进一步提升住宅工程质量，根据《关于加快推进装配式建筑发展的实施意见》（新政办〔2022〕34号）要求，结合我县实际，现就有关事项通知如下。

一、各单位要加强对住宅工程渗漏、开裂等质量常见问题的治理。

二、各单位于2024年12月20日前报送工作总结。

新野县住房和城乡建设局
2024年11月25日
"""


# ----------------------------------------------------------------- streams


def _rng(seed: int, stream: str) -> random.Random:
    return random.Random(f"checker-bench/{GENERATOR_VERSION}/{seed}/{stream}")


def projects(seed: int, n: int) -> Iterator[Project]:
    """The project stream: the first k of n are the same as the k-stream (prefix-stable)."""
    rng = _rng(seed, "projects")
    for i in range(1, n + 1):
        yield project(rng, i)


def mixed(seed: int, n: int, approval_share: float = 0.5) -> Iterator[Project | ApprovalItem]:
    """Projects and approval items interleaved (an audit export); prefix-stable."""
    rng = _rng(seed, "mixed")
    pi = ai = 0
    for _ in range(n):
        if rng.random() < approval_share:
            ai += 1
            yield approval(rng, ai, max(pi, 1))
        else:
            pi += 1
            yield project(rng, pi)


def documents(seed: int, n: int) -> Iterator[Doc]:
    rng = _rng(seed, "documents")
    for i in range(1, n + 1):
        yield document(rng, i)


# ----------------------------------------------------------------- files


@dataclass
class Dataset:
    root: Path
    projects_csv: dict[int, Path]  # size -> file (each a prefix of the largest)
    mixed_jsonl: Path
    approvals_csv: Path | None  # approval items only (smoke test); None when not asked for
    docs_dir: Path
    small_doc: Path
    manifest: dict


def _tally(counter: dict, breaks: tuple[str, ...]) -> None:
    key = "clean" if not breaks else ("one" if len(breaks) == 1 else "several")
    counter[key] = counter.get(key, 0) + 1
    for r in breaks:
        counter.setdefault("rules", {})
        counter["rules"][r] = counter["rules"].get(r, 0) + 1


def write_projects_csv(path: Path, seed: int, n: int, labels: dict | None = None) -> dict:
    rng = _rng(seed, "project-format")
    tally: dict = {}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PROJECT_HEADER)
        for p in projects(seed, n):
            writer.writerow(project_row(rng, p))
            _tally(tally, p.breaks)
            if labels is not None and p.breaks:
                labels[p.id] = list(p.breaks)
    return tally


def write_approvals_csv(path: Path, seed: int, n: int, labels: dict | None = None) -> dict:
    """Approval items only (from the mixed stream), for the per-kind checks of the smoke test."""
    rng = _rng(seed, "approval-format")
    tally: dict = {}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(APPROVAL_HEADER)
        for r in mixed(seed, n, approval_share=1.0):
            writer.writerow(approval_row(rng, r))
            _tally(tally, r.breaks)
            if labels is not None and r.breaks:
                labels[r.id] = list(r.breaks)
    return tally


def write_mixed_jsonl(path: Path, seed: int, n: int, labels: dict | None = None) -> dict:
    tally: dict = {"project": {}, "approval": {}}
    with path.open("w", encoding="utf-8") as handle:
        for r in mixed(seed, n):
            if isinstance(r, Project):
                handle.write(json.dumps(project_json(r), ensure_ascii=False) + "\n")
                _tally(tally["project"], r.breaks)
                key = f"jsonl:{r.id}"
            else:
                handle.write(json.dumps(approval_json(r), ensure_ascii=False) + "\n")
                _tally(tally["approval"], r.breaks)
                key = f"jsonl:{r.id}"
            if labels is not None and r.breaks:
                labels[key] = list(r.breaks)
    return tally


def write_documents(directory: Path, seed: int, n: int, labels: dict | None = None) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    tally: dict = {}
    total = 0
    for doc in documents(seed, n):
        data = doc.text.encode("utf-8")
        (directory / doc.name).write_bytes(data)
        total += len(data)
        _tally(tally, doc.breaks)
        if labels is not None:
            labels[doc.name] = list(doc.breaks)
    tally["bytes"] = total
    return tally


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "manifest.json"):
        h.update(str(path.relative_to(root)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def write_dataset(
    root: Path, seed: int, project_sizes: list[int], n_mixed: int, n_approvals: int, n_docs: int, labels: bool = False
) -> Dataset:
    """Write every input file under `root` (replacing what is there) and a manifest."""
    import shutil

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    manifest: dict = {"generator_version": GENERATOR_VERSION, "seed": seed, "as_of": AS_OF.isoformat(), "files": {}}
    label_map: dict | None = {} if labels else None
    csvs = {}
    for size in sorted(project_sizes):
        path = root / f"projects-{size}.csv"
        manifest["files"][path.name] = write_projects_csv(
            path, seed, size, label_map if size == max(project_sizes) else None
        )
        csvs[size] = path
    mixed_path = root / f"mixed-{n_mixed}.jsonl"
    manifest["files"][mixed_path.name] = write_mixed_jsonl(mixed_path, seed, n_mixed, label_map)
    approvals_path = None
    if n_approvals:
        approvals_path = root / f"approvals-{n_approvals}.csv"
        manifest["files"][approvals_path.name] = write_approvals_csv(approvals_path, seed, n_approvals, label_map)
    docs_dir = root / "docs"
    manifest["files"]["docs"] = write_documents(docs_dir, seed, n_docs, label_map)
    small = root / "small-doc" / "notice.txt"
    small.parent.mkdir()
    small.write_text(SMALL_DOCUMENT, encoding="utf-8")
    if label_map is not None:
        manifest["labels"] = label_map
    manifest["digest"] = _digest(root)
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Dataset(
        root=root,
        projects_csv=csvs,
        mixed_jsonl=mixed_path,
        approvals_csv=approvals_path,
        docs_dir=docs_dir,
        small_doc=small,
        manifest=manifest,
    )
