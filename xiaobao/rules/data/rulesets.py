"""The rule sets shipped with Xiaobao. Loaded by migrations; administrators may add their own.

Each clock: name, length, unit ("workdays" or "days"), basis. Clock lengths are the bureau's where its
rules are stricter than the national ones (DOMAIN.md, "Legal clocks").
"""

from .grounds import (
    SAMR_2019_NOT_ACCEPTED,
    SAMR_2019_TERMINATED,
    SAMR_2026_NOT_ACCEPTED,
    SAMR_2026_TERMINATED,
)

RULES = "曾都区市场监督管理局消费者投诉举报工作制度（试行）"

# Required content at registration (SAMR-2019 Art. 9; SAMR-2026 form; rules 二.3). A report may be
# anonymous but needs concrete clues; an inquiry needs its question.
REQUIRED = {
    "complaint": ["complainant.name", "complainant.phone", "complainant.address",
                  "respondent.name", "respondent.address", "facts", "demand"],
    "report": ["respondent.name", "facts"],
    "inquiry": ["facts"],
}

# Reports, and food and drug safety complaints, go to the deputy director before routing (rules 二.1(2));
# 不予立案 needs the bureau head (rules 二.2).
APPROVAL = {
    "routing": {"kinds": ["report"], "complaint_food_drug_safety": True, "basis": "规则 二.1（2）"},
    "not_filed": {"role": "bureau_head", "basis": "规则 二.2"},
}

# Which clocks each pause reason stops (DOMAIN.md, "Which clocks a pause stops"); nothing else stops a clock.
# Rules 二.2 "下列情形，不计算在投诉办理期限内" follows the 7-day acceptance decision and the 60 days, and its item (1),
# jurisdiction, can only concern the acceptance decision: the list covers that decision and the tier period.
# The 60-day cap excludes only testing and appraisal: a local rule cannot stretch the national cap (SAMR-2026
# 第二十三条). A report's verification period excludes testing and appraisal by national law.
_TESTING = {"stops": ["acceptance", "handling", "mediation_cap", "verification"],
            "basis": "规则 二.2 下列情形（2）；规则 二.2、二.4：鉴定或者检测的时间不计算在60日内；"
                     "核查期限：《市场监督管理行政处罚程序规定》第十八条第二款"}
LOCAL_PAUSES = {
    "jurisdiction": {"stops": ["acceptance", "verification"],
                     "basis": "规则 二.2 下列情形（1）：确定管辖所需时间不计算在投诉办理期限内"},
    "testing": _TESTING,
    "appraisal": _TESTING,
    "expert_review": {"stops": ["acceptance", "handling"],
                      "basis": "规则 二.2 下列情形（2）专家评审或者论证；60日只扣除鉴定、检测时间（规则 二.2、二.4）"},
    "other_department": {"stops": ["acceptance", "handling"],
                         "basis": "规则 二.2 下列情形（3）其他部门协助调查；60日只扣除鉴定、检测时间（规则 二.2、二.4）"},
}

# The national rules alone: no tier periods, and no local list of time that does not count.
NATIONAL_PAUSES = {
    "jurisdiction": {"stops": ["acceptance", "verification"],
                     "basis": "期限自承办单位收到之日起算，退回重新确定管辖的时间不计入"},
    "testing": {"stops": ["mediation_cap", "verification"],
                "basis": "检测、鉴定时间不计入调解期限；核查期限：《市场监督管理行政处罚程序规定》第十八条第二款"},
    "appraisal": {"stops": ["mediation_cap", "verification"],
                  "basis": "检测、鉴定时间不计入调解期限；核查期限：《市场监督管理行政处罚程序规定》第十八条第二款"},
    "expert_review": {"stops": [], "basis": "国家规章未规定专家评审时间不计入期限"},
    "other_department": {"stops": [], "basis": "国家规章未规定其他部门协助时间不计入期限"},
}


# Past the mediation cap the only way on is to terminate mediation on the rule set's time-limit ground; before
# the cap that ground is refused.
def _cap(basis: str) -> dict:
    return {"ground": "time_limit", "basis": basis}


LOCAL_CLOCKS_COMMON = [
    {"name": "sign_off", "length": 1, "unit": "workdays", "basis": "规则 一.3（1）定人定岗每天接收分流件"},
    {"name": "first_contact", "length": 1, "unit": "workdays",
     "basis": "规则 一.3（1）在规定时间内与投诉举报人取得联系"},
    {"name": "acceptance", "length": 7, "unit": "workdays", "basis": "规则 二.2；SAMR-2019 第十四条"},
    {"name": "handling", "length": 15, "unit": "workdays", "cap": 60,
     "tiers": {"urgent": 7, "general": 15, "difficult": 30},
     "basis": "规则 二.4：紧急、重要7个工作日，一般15个工作日，疑难30个工作日，最长不超过60个工作日"},
    {"name": "mediation_cap", "length": 60, "unit": "days",
     "basis": "规则 二.2、二.4：受理之日起60日内终结调解；鉴定、检测时间不计算在内"},
    {"name": "verification", "length": 7, "unit": "workdays",
     "basis": "规则 二.2：收到举报材料之日起7个工作日内核查并决定是否立案"},
    {"name": "reply", "length": 3, "unit": "workdays", "basis": "规则 二.4：办结后3个工作日内回复"},
    {"name": "termination_notice", "length": 7, "unit": "workdays", "basis": "SAMR-2019 第二十一条"},
]

RULE_SETS = [
    {
        "code": "zengdu-2020", "family": "zengdu", "effective_from": "2020-01-01",
        "name": RULES + "（依据暂行办法）",
        "basis": RULES + "；《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号，2022年修正）",
        "data": {"clocks": LOCAL_CLOCKS_COMMON, "required": REQUIRED, "approval": APPROVAL,
                 "pauses": LOCAL_PAUSES, "cap": _cap("规则 二.2、二.4；SAMR-2019 第二十一条第（五）项"),
                 "grounds": {"not_accepted": SAMR_2019_NOT_ACCEPTED,
                             "mediation_terminated": SAMR_2019_TERMINATED}},
    },
    {
        "code": "zengdu-2026", "family": "zengdu", "effective_from": "2026-04-15",
        "name": RULES + "（依据处理办法）",
        "basis": RULES + "；《市场监督管理投诉举报处理办法》（2026年4月15日起施行）",
        "data": {"clocks": LOCAL_CLOCKS_COMMON, "required": REQUIRED, "approval": APPROVAL,
                 "pauses": LOCAL_PAUSES, "cap": _cap("规则 二.2、二.4；SAMR-2026 第二十三条第（五）项"),
                 "grounds": {"not_accepted": SAMR_2026_NOT_ACCEPTED,
                             "mediation_terminated": SAMR_2026_TERMINATED}},
    },
    {
        "code": "samr-2019", "family": "samr", "effective_from": "2020-01-01",
        "name": "市场监督管理投诉举报处理暂行办法",
        "basis": "《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号，2022年修正）",
        "data": {
            "clocks": [
                {"name": "acceptance", "length": 7, "unit": "workdays", "basis": "SAMR-2019 第十四条"},
                {"name": "mediation_cap", "length": 45, "unit": "workdays", "basis": "SAMR-2019 第二十一条第（五）项"},
                {"name": "verification", "length": 15, "unit": "workdays",
                 "basis": "《市场监督管理行政处罚程序规定》第十八条"},
                {"name": "termination_notice", "length": 7, "unit": "workdays", "basis": "SAMR-2019 第二十一条"},
            ],
            "required": REQUIRED, "approval": APPROVAL, "pauses": NATIONAL_PAUSES,
            "cap": _cap("SAMR-2019 第二十一条第（五）项"),
            "grounds": {"not_accepted": SAMR_2019_NOT_ACCEPTED, "mediation_terminated": SAMR_2019_TERMINATED},
        },
    },
    {
        "code": "samr-2026", "family": "samr", "effective_from": "2026-04-15",
        "name": "市场监督管理投诉举报处理办法",
        "basis": "《市场监督管理投诉举报处理办法》（2026年4月15日起施行）",
        "data": {
            "clocks": [
                {"name": "acceptance", "length": 7, "unit": "workdays", "basis": "SAMR-2026 第十五条"},
                {"name": "mediation_cap", "length": 60, "unit": "days", "basis": "SAMR-2026 第二十三条"},
                {"name": "verification", "length": 15, "unit": "workdays",
                 "basis": "《市场监督管理行政处罚程序规定》第十八条"},
                {"name": "termination_notice", "length": 7, "unit": "workdays", "basis": "SAMR-2026 第二十三条"},
            ],
            "required": REQUIRED, "approval": APPROVAL, "pauses": NATIONAL_PAUSES,
            "cap": _cap("SAMR-2026 第二十三条第（五）项"),
            "grounds": {"not_accepted": SAMR_2026_NOT_ACCEPTED, "mediation_terminated": SAMR_2026_TERMINATED},
        },
    },
]
