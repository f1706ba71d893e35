"""The rule sets shipped with Xiaobao. Loaded by migrations; administrators may add their own.

Each clock: name, length, unit ("workdays" or "days"), basis. Clock lengths are the bureau's where its
rules are stricter than the national ones (DOMAIN.md, "Legal clocks").
"""

from .grounds import (
    SAMR_2019_NOT_ACCEPTED,
    SAMR_2019_TERMINATED,
    SAMR_2026_NOT_ACCEPTED,
    SAMR_2026_TERMINATED,
    ZENGDU_2019_TERMINATED,
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

# Who approves what, named by role (the approver comes from here, never from code). Reports, and food and
# drug safety complaints, go to the deputy director before routing (rules 二.1(2)); 不予立案 needs the bureau
# head (rules 二.2), and so does a report referred elsewhere from a unit, which by the bureau's rule is a report
# not filed here; the bureau head decides whether to file (《市场监督管理行政处罚程序规定》第十八条).
APPROVAL = {
    "routing": {"role": "deputy_director", "kinds": ["report"], "complaint_food_drug_safety": True,
                "basis": "规则 二.1（2）：报分管局长审批后分流"},
    "not_filed": {"role": "bureau_head", "basis": "规则 二.2：不予立案的，经区局负责人批准"},
    "filing": {"role": "bureau_head",
               "basis": "《市场监督管理行政处罚程序规定》第十八条：由市场监督管理部门负责人决定是否立案"},
}

# Notices to named people, each on its own clock from the decision (or from the end of the tier period),
# whether or not a reply was asked for. The bureau's rules give no period of their own for the notices of a
# report or of a tier period; its reply period (rules 二.4: 3 working days after conclusion) is used,
# stricter than the national five working days for reports (SAMR-2019 第三十一条). 不予受理 is told within
# the acceptance period itself.
LOCAL_NOTICE_CLOCKS = [
    {"name": "not_filed_notice", "length": 3, "unit": "workdays",
     "basis": "规则 二.2：不予立案的，经区局负责人批准后，由办理机构将结果告知具名的投诉举报人；期限依规则 二.4"},
    {"name": "filed_notice", "length": 3, "unit": "workdays",
     "basis": "规则 二.4：办结后3个工作日内将办理情况回复具名举报人（立案）"},
]
# 不予受理 is told within the acceptance period itself: its clock is built with the national article (local_clocks).
TIER_NOTICE_CLOCK = {"name": "tier_notice", "length": 3, "unit": "workdays",
                     "basis": "规则 二.4：对投诉在相应时限内调解不成的应当说明理由告知消费者"}

# The clocks that run while an item waits for the bureau itself (issue 17, point 6). The bureau's rules give no
# period for 消保股's routing (rules 二.1) nor for an approval (rules 二.1(2), 二.2): these are the bureau's own
# values, configurable here like every period. Routing: 消保股 routes what reaches it by the end of the next
# working day, as the units take routed items every day (rules 一.3(1)); an approval: 2 working days. Both
# leave the unit time to decide within the national acceptance period from the bureau's receipt. No pause
# stops them (they are not in any "stops" list).
BUREAU_WAITING_CLOCKS = [
    {"name": "routing", "length": 1, "unit": "workdays",
     "basis": "规则 二.1：消保股接到投诉举报后按属地管辖、业务管辖原则审核分流；规则未定时限，本局设定次一工作日内分流"
              "（同规则 一.3（1）每天接收分流件）"},
    {"name": "approval", "length": 2, "unit": "workdays",
     "basis": "规则 二.1（2）报分管局长审批后分流、规则 二.2 不予立案经区局负责人批准；规则未定审批时限，本局设定2个工作日，"
              "使承办单位仍能在自本局收到之日起的受理期限内作出决定"},
]


# Settling first (DOMAIN.md "Settling first"): an ODR business negotiates with the consumer within 10 working days
# of the forwarding (《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》); that time does not count against the
# bureau's own clocks (xiaobao.odr.settling).
BUSINESS_SETTLEMENT_CLOCK = {
    "name": "business_settlement", "length": 10, "unit": "workdays",
    "basis": "《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》：ODR企业自收到转送的投诉之日起10个工作日内与消费者协商和解",
}


def national_acceptance(basis: str) -> dict:
    """The national acceptance period from the bureau's receipt (DOMAIN.md, "Which clocks a pause stops", last
    paragraph): it runs beside the unit's own acceptance clock ("beside"), from the day the bureau received the
    complaint, and no pause stops it (a local rule cannot stretch a national period)."""
    return {"name": "national_acceptance", "length": 7, "unit": "workdays", "beside": "acceptance",
            "basis": basis + "：自收到投诉之日起七个工作日内作出受理或者不予受理的决定（自本局收到之日起算）"}


NATIONAL_ACCEPTANCE_2019 = national_acceptance("SAMR-2019 第十四条")
NATIONAL_ACCEPTANCE_2026 = national_acceptance("SAMR-2026 第十五条")

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


# The articles of the national rules the bureau's clocks rest on, by the instrument in force (issue 17, point 7):
# a rule set under the 2026 rules cites the 2026 articles, never the repealed 2019 ones. SAMR-2019 第十四条 (the
# acceptance decision) and 第二十一条 (termination, its notice in 第二款) are read from the published text; the
# 2026 numbers are DOMAIN.md's (第二十三条 for termination, the 60 days in its item (五)) and, for the acceptance
# decision, the article before the 不予受理 grounds of 第十六条 as in 2019 (docs/legal-traceability.md).
NATIONAL_ARTICLES = {
    "SAMR-2019": {"acceptance": "SAMR-2019 第十四条", "termination": "SAMR-2019 第二十一条", "cap": ""},
    "SAMR-2026": {"acceptance": "SAMR-2026 第十五条", "termination": "SAMR-2026 第二十三条",
                  "cap": "SAMR-2026 第二十三条第（五）项"},
}


def local_clocks(national: str) -> list[dict]:
    """The bureau's clocks under the national rules `national` ("SAMR-2019" or "SAMR-2026")."""
    art = NATIONAL_ARTICLES[national]
    # The national cap is cited where it is the bureau's own: 60 days in 2026; in 2019 it was 45 working days.
    cap = f"；{art['cap']}" if art["cap"] else ""
    return [
        {"name": "sign_off", "length": 1, "unit": "workdays", "basis": "规则 一.3（1）定人定岗每天接收分流件"},
        {"name": "first_contact", "length": 1, "unit": "workdays",
         "basis": "规则 一.3（1）在规定时间内与投诉举报人取得联系"},
        {"name": "acceptance", "length": 7, "unit": "workdays", "basis": f"规则 二.2；{art['acceptance']}"},
        {"name": "handling", "length": 15, "unit": "workdays", "cap": 60,
         "tiers": {"urgent": 7, "general": 15, "difficult": 30},
         "basis": "规则 二.4：紧急、重要7个工作日，一般15个工作日，疑难30个工作日，最长不超过60个工作日"},
        {"name": "mediation_cap", "length": 60, "unit": "days",
         "basis": f"规则 二.2、二.4：受理之日起60日内终结调解，鉴定、检测时间不计算在内{cap}"},
        {"name": "verification", "length": 7, "unit": "workdays",
         "basis": "规则 二.2：收到举报材料之日起7个工作日内核查并决定是否立案"},
        {"name": "reply", "length": 3, "unit": "workdays", "basis": "规则 二.4：办结后3个工作日内回复"},
        # A withdrawal ends mediation (the first termination ground, 第（一）项 of the article): the termination
        # notice is due then too.
        {"name": "termination_notice", "length": 7, "unit": "workdays", "on_withdrawal": True,
         "basis": art["termination"]},
        *LOCAL_NOTICE_CLOCKS,
        # "from": the clock starts when the named clock started (here: with the acceptance period).
        {"name": "not_accepted_notice", "length": 7, "unit": "workdays", "from": "acceptance",
         "basis": f"规则 二.2；{art['acceptance']}：收到投诉之日起七个工作日内作出不予受理的决定，并告知投诉人"},
        TIER_NOTICE_CLOCK,
    ]


LOCAL_CLOCKS_2019 = local_clocks("SAMR-2019")
LOCAL_CLOCKS_2026 = local_clocks("SAMR-2026")

RULE_SETS = [
    {
        "code": "zengdu-2020", "family": "zengdu", "effective_from": "2020-01-01",
        "name": RULES + "（依据暂行办法）",
        "basis": RULES + "；《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号，2022年修正）",
        "data": {"clocks": [*LOCAL_CLOCKS_2019, NATIONAL_ACCEPTANCE_2019, *BUREAU_WAITING_CLOCKS, BUSINESS_SETTLEMENT_CLOCK],
                 "required": REQUIRED, "approval": APPROVAL,
                 # The bureau's 60 days, stricter than SAMR-2019 第二十一条第（五）项 (45 working days).
                 "pauses": LOCAL_PAUSES, "cap": _cap("规则 二.2、二.4：60日内调解不成的应当终止调解"),
                 "grounds": {"not_accepted": SAMR_2019_NOT_ACCEPTED,
                             "mediation_terminated": ZENGDU_2019_TERMINATED}},
    },
    {
        "code": "zengdu-2026", "family": "zengdu", "effective_from": "2026-04-15",
        "name": RULES + "（依据处理办法）",
        "basis": RULES + "；《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号，2026年4月15日起施行）",
        "data": {"clocks": [*LOCAL_CLOCKS_2026, NATIONAL_ACCEPTANCE_2026, *BUREAU_WAITING_CLOCKS, BUSINESS_SETTLEMENT_CLOCK],
                 "required": REQUIRED, "approval": APPROVAL,
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
                 "basis": "《市场监督管理行政处罚程序规定》第十八条第一款"},
                {"name": "termination_notice", "length": 7, "unit": "workdays", "on_withdrawal": True,
                 "basis": "SAMR-2019 第二十一条"},
                {"name": "not_filed_notice", "length": 5, "unit": "workdays",
                 "basis": "SAMR-2019 第三十一条：自作出是否立案决定之日起五个工作日内告知举报人"},
                {"name": "filed_notice", "length": 5, "unit": "workdays",
                 "basis": "SAMR-2019 第三十一条：自作出是否立案决定之日起五个工作日内告知举报人"},
                {"name": "not_accepted_notice", "length": 7, "unit": "workdays", "from": "acceptance",
                 "basis": "SAMR-2019 第十四条：收到投诉之日起七个工作日内作出不予受理的决定，并告知投诉人"},
                NATIONAL_ACCEPTANCE_2019, *BUREAU_WAITING_CLOCKS, BUSINESS_SETTLEMENT_CLOCK,
            ],
            "required": REQUIRED, "approval": APPROVAL, "pauses": NATIONAL_PAUSES,
            "cap": _cap("SAMR-2019 第二十一条第（五）项"),
            "grounds": {"not_accepted": SAMR_2019_NOT_ACCEPTED, "mediation_terminated": SAMR_2019_TERMINATED},
        },
    },
    {
        "code": "samr-2026", "family": "samr", "effective_from": "2026-04-15",
        "name": "市场监督管理投诉举报处理办法",
        "basis": "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号，2026年4月15日起施行）",
        "data": {
            "clocks": [
                {"name": "acceptance", "length": 7, "unit": "workdays", "basis": "SAMR-2026 第十五条"},
                {"name": "mediation_cap", "length": 60, "unit": "days", "basis": "SAMR-2026 第二十三条第（五）项"},
                {"name": "verification", "length": 15, "unit": "workdays",
                 "basis": "《市场监督管理行政处罚程序规定》第十八条第一款"},
                {"name": "termination_notice", "length": 7, "unit": "workdays", "on_withdrawal": True,
                 "basis": "SAMR-2026 第二十三条"},
                # The 2026 text's article on telling a named reporter whether the report was filed could not be
                # read here: no article is cited rather than a repealed one (docs/legal-traceability.md).
                {"name": "not_filed_notice", "length": 5, "unit": "workdays",
                 "basis": "SAMR-2026：将是否立案的决定告知具名举报人（五个工作日，条文序号待核对公布文本）"},
                {"name": "filed_notice", "length": 5, "unit": "workdays",
                 "basis": "SAMR-2026：将是否立案的决定告知具名举报人（五个工作日，条文序号待核对公布文本）"},
                {"name": "not_accepted_notice", "length": 7, "unit": "workdays", "from": "acceptance",
                 "basis": "SAMR-2026 第十五条：七个工作日内作出不予受理的决定，并告知投诉人"},
                NATIONAL_ACCEPTANCE_2026, *BUREAU_WAITING_CLOCKS, BUSINESS_SETTLEMENT_CLOCK,
            ],
            "required": REQUIRED, "approval": APPROVAL, "pauses": NATIONAL_PAUSES,
            "cap": _cap("SAMR-2026 第二十三条第（五）项"),
            "grounds": {"not_accepted": SAMR_2026_NOT_ACCEPTED, "mediation_terminated": SAMR_2026_TERMINATED},
        },
    },
]
