"""Ground lists of the national rules, quoted by article so that every rule set can name its basis."""

SAMR_2019_NOT_ACCEPTED = [
    {"code": "not_duty", "basis": "SAMR-2019 第十五条第（一）项",
     "text": "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限"},
    {"code": "handled_elsewhere", "basis": "SAMR-2019 第十五条第（二）项",
     "text": "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议"},
    {"code": "not_consumption", "basis": "SAMR-2019 第十五条第（三）项",
     "text": "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议"},
    {"code": "over_three_years", "basis": "SAMR-2019 第十五条第（四）项",
     "text": "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年"},
    {"code": "materials_missing", "basis": "SAMR-2019 第十五条第（五）项",
     "text": "未提供本办法第九条第一款和第十条规定的材料"},
    {"code": "other", "basis": "SAMR-2019 第十五条第（六）项",
     "text": "法律、法规、规章规定不予受理的其他情形"},
]

SAMR_2019_TERMINATED = [
    {"code": "withdrawn_or_settled", "basis": "SAMR-2019 第二十一条第（一）项",
     "text": "投诉人撤回投诉或者双方自行和解"},
    {"code": "testing_disagreement", "basis": "SAMR-2019 第二十一条第（二）项",
     "text": "投诉人与被投诉人对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致"},
    {"code": "party_absent", "basis": "SAMR-2019 第二十一条第（三）项",
     "text": "投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解"},
    {"code": "no_agreement", "basis": "SAMR-2019 第二十一条第（四）项",
     "text": "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议"},
    {"code": "time_limit", "basis": "SAMR-2019 第二十一条第（五）项",
     "text": "自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议"},
    {"code": "inadmissible_found", "basis": "SAMR-2019 第二十一条第（六）项",
     "text": "市场监督管理部门受理投诉后，发现存在本办法第十五条规定情形"},
    {"code": "other", "basis": "SAMR-2019 第二十一条第（七）项",
     "text": "法律、法规、规章规定的应当终止调解的其他情形"},
]

SAMR_2026_NOT_ACCEPTED = [
    {"code": "not_duty", "basis": "SAMR-2026 第十六条第（一）项",
     "text": "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限"},
    {"code": "handled_elsewhere", "basis": "SAMR-2026 第十六条第（二）项",
     "text": "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议"},
    {"code": "not_consumption", "basis": "SAMR-2026 第十六条第（三）项",
     "text": "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议"},
    {"code": "over_three_years", "basis": "SAMR-2026 第十六条第（四）项",
     "text": "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年"},
    {"code": "materials_missing", "basis": "SAMR-2026 第十六条第（五）项",
     "text": "未按规定提供投诉材料，或者提供的材料虚假"},
    {"code": "identity", "basis": "SAMR-2026 第十六条第（六）项",
     "text": "冒用他人名义投诉，或者拒不配合身份核验"},
    {"code": "other", "basis": "SAMR-2026 第十六条第（七）项",
     "text": "法律、法规、规章规定不予受理的其他情形"},
]

# In the order of the 2026 text (总局令第121号, 第二十三条; DOMAIN.md "Required content, grounds and documents"),
# which moved the testing-disagreement ground from (二) to (四) and added (七): the code of each ground stays what
# it was, its item number is the 2026 text's. The published text could not be read here: the order, the items and
# the articles follow DOMAIN.md and issue 17, point 7 (docs/legal-traceability.md, "What could not be verified").
SAMR_2026_TERMINATED = [
    {"code": "withdrawn_or_settled", "basis": "SAMR-2026 第二十三条第（一）项",
     "text": "投诉人撤回投诉或者双方自行和解"},
    {"code": "party_absent", "basis": "SAMR-2026 第二十三条第（二）项",
     "text": "投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解"},
    {"code": "no_agreement", "basis": "SAMR-2026 第二十三条第（三）项",
     "text": "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议"},
    {"code": "testing_disagreement", "basis": "SAMR-2026 第二十三条第（四）项",
     "text": "投诉人与被投诉人对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致"},
    {"code": "time_limit", "basis": "SAMR-2026 第二十三条第（五）项",
     "text": "自投诉受理之日起六十日内投诉人和被投诉人未能达成调解协议"},
    {"code": "inadmissible_found", "basis": "SAMR-2026 第二十三条第（六）项",
     "text": "市场监督管理部门受理投诉后，发现存在本办法第十六条、第四十二条规定情形"},
    {"code": "party_ceased", "basis": "SAMR-2026 第二十三条第（七）项",
     "text": "投诉人死亡或者被投诉人终止，且无权利义务承受人"},
    {"code": "other", "basis": "SAMR-2026 第二十三条第（八）项",
     "text": "法律、法规、规章规定的应当终止调解的其他情形"},
]

# The bureau's rules under the 2019 national rules: mediation ends within 60 days of acceptance (rules 二.2, 二.4),
# stricter than the national 45 working days (SAMR-2019 第二十一条第（五）项), so a complaint terminated on its 60th
# day cannot rest on the national time-limit ground: 45 working days have not yet passed. Its time-limit ground is
# the bureau's own clause, quoted; a document prints no national article for it (documents.citations leaves the
# internal rules out) rather than one that does not fit the day.
LOCAL_60_DAYS = {
    "code": "time_limit",
    "basis": "规则 二.2、二.4：在受理投诉人投诉之日起60日内终结调解，调解不成的应当终止调解"
             "（二.4：所有投诉60日内调解不成的必须说明理由并制做终止调解书）",
    "text": "在受理投诉人投诉之日起60日内调解不成（需要进行鉴定或者检测的，鉴定或者检测的时间不计算在60日内）",
}
ZENGDU_2019_TERMINATED = [LOCAL_60_DAYS if g["code"] == "time_limit" else g for g in SAMR_2019_TERMINATED]
