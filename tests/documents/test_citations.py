"""Laws cited on documents by their official titles (issue 18, point 3)."""

from xiaobao.documents.citations import official


def test_rule_set_codes_become_official_titles_and_internal_rules_are_left_out():
    assert official("SAMR-2026 第二十三条第（五）项") == ["《市场监督管理投诉举报处理办法》第二十三条第（五）项"]
    assert official("规则 二.2；SAMR-2019 第十四条") == ["《市场监督管理投诉举报处理暂行办法》第十四条"]
    assert official("规则 二.4：办结后3个工作日内回复") == []
    assert official("《市场监督管理行政处罚程序规定》第十八条") == ["《市场监督管理行政处罚程序规定》第十八条"]
    assert official("曾都区市场监督管理局消费者投诉举报工作制度（试行）；《市场监督管理投诉举报处理办法》（2026年4月15日起施行）") \
        == ["《市场监督管理投诉举报处理办法》（2026年4月15日起施行）"]
    assert official("DOMAIN：不属本单位管辖的退回") == [] and official("") == []
