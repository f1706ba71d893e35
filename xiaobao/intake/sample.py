"""Writes samples/12315-sample.xlsx: a believable export of the national 12315 platform for 曾都区 (50 rows,
autumn 2026), for demonstrations and tests of the import. Deterministic: the same file every run.

    .venv/bin/python -m xiaobao.intake.sample [path] [--rows N] [--seed S]

With --rows/--seed it writes a larger export of the same kind (bench/import_bench.py uses 100,000 rows):
the same arguments give the same rows (the defaults: the shipped sample).

Planted on purpose: one person filing four times (一人多次), three people about one business (一事多人), and
three bad rows — a complaint without a phone (row 13), an unknown type "建议" (row 25) and a date that does
not exist (row 38). Larger files repeat the three kinds of bad row at Excel rows 1013, 1025, 1038, 2013, …
(0.3 %), and spread the rows over --days days from --start.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

SAMPLE_PATH = Path(__file__).resolve().parent / "samples" / "12315-sample.xlsx"
HEADERS = ["登记编号", "登记时间", "类型", "投诉人姓名", "联系电话", "联系地址", "被投诉人名称", "被投诉人地址",
           "统一社会信用代码", "投诉内容", "诉求", "涉案金额", "商品服务类别"]
TITLE = "全国12315平台 投诉举报咨询登记信息导出（承办机构：随州市曾都区市场监督管理局）"
ROWS = 50
SEED = 12315
START = datetime(2026, 9, 1, 8, 30)
DAYS = 80
# Excel rows (title on row 1, headers on row 2, data from row 3) of the three bad rows.
BAD_ROWS = {13: "missing_phone", 25: "unknown_type", 38: "bad_date"}


def bad_row(excel_row: int) -> str | None:
    """The planted fault of an Excel row: the three of the sample, then the same three in every 1,000 rows."""
    return BAD_ROWS.get(excel_row % 1000 if excel_row > 1000 else excel_row)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "华", "慧", "建国", "志刚", "晓燕", "海燕", "红梅", "国强", "春兰", "文斌", "子涵", "浩然", "雨轩", "梓萱"]
STREETS = [("西城街道", ["烈山大道", "解放路", "青年路", "文峰塔路"]),
           ("东城街道", ["舜井大道", "汉东路", "明珠路", "沿河大道"]),
           ("南郊街道", ["白云大道", "清河路", "两水路", "季梁大道"]),
           ("北郊街道", ["擂鼓墩大道", "交通大道", "神农大道"]),
           ("曾都经济开发区", ["城南新区汉东路", "编钟大道"]),
           ("万店镇", ["万店街", "工业大道"]), ("何店镇", ["何店街", "沿河路"]),
           ("洛阳镇", ["洛阳街", "银杏大道"]), ("府河镇", ["府河街", "新街"])]
COMPOUNDS = ["碧桂园", "恒大名都", "金地花园", "锦绣华城", "季梁花园", "书香门第", "编钟小区", "汉东名居", "舜井苑",
             "白云小区"]

# (category name, business, facts template, demand, amount range)
MATTERS = [
    ("家用电器", "随州市曾都区鑫达电器商行", "{d}在该店购买{g}一台，价款{a}元，使用不到一个月出现{p}，商家以人为损坏为由拒绝退换。",
     "退货并退还货款", (1299, 4999), ["空调", "冰箱", "洗衣机", "电视机", "热水器"], ["不制冷", "噪音异常", "漏水", "无法开机"]),
    ("通讯器材", "随州市曾都区恒通手机专卖店", "{d}在该店购买{g}一部，价款{a}元，到手后发现{p}，要求更换被拒。",
     "更换同型号新机", (899, 6999), ["华为手机", "小米手机", "OPPO手机", "vivo手机"], ["屏幕有亮点", "电池续航严重不足", "系翻新机"]),
    ("餐饮服务", "随州市曾都区老街坊土菜馆", "{d}与家人在该店就餐，消费{a}元，{p}，店家态度恶劣。",
     "退还餐费并赔偿损失", (180, 860), ["聚餐"], ["菜品中吃出异物", "就餐后多人腹泻", "实收金额与菜单标价不符"]),
    ("美容美发洗浴", "随州市曾都区丽人坊美容美发店", "{d}在该店办理美容卡，充值{a}元，后店家以{p}为由拒绝提供服务，也不退款。",
     "退还预付卡余额", (1000, 5000), ["美容卡"], ["装修停业", "更换老板", "原项目取消"]),
    ("交通工具", "随州市曾都区骏通汽车销售服务有限公司", "{d}在该公司购买{g}，价款{a}元，提车后发现{p}，销售方未如实告知。",
     "更换车辆或赔偿损失", (68000, 189000), ["新车一辆", "电动车一辆"], ["车辆有维修记录", "漆面有修补痕迹", "里程数不符"]),
    ("教育培训服务", "随州市曾都区启航教育培训学校", "{d}为孩子报名{g}，缴费{a}元，上课数次后机构{p}，剩余课时无法消费。",
     "退还剩余课时费用", (2800, 9800), ["数学辅导班", "英语课程", "美术课程"], ["擅自更换老师", "突然停课", "搬迁后联系不上"]),
    ("食品", "随州市曾都区万和生活超市", "{d}在该超市购买{g}，价款{a}元，回家后发现{p}。",
     "退一赔十", (38, 398), ["牛奶", "月饼礼盒", "香油", "散装白酒"], ["已超过保质期", "包装无生产日期", "有异味"]),
    ("修理服务", "随州市曾都区快修家电维修部", "{d}请该维修部上门维修{g}，支付维修费{a}元，维修后{p}。",
     "退还维修费", (150, 680), ["洗衣机", "热水器", "空调"], ["故障依旧", "更换的配件为旧件", "出现新的故障"]),
    ("住宿服务", "随州市曾都区悦来商务宾馆", "{d}入住该宾馆，房费{a}元，{p}，要求退款被拒绝。",
     "退还房费", (128, 498), ["标准间"], ["房间卫生极差", "实际房型与预订不符", "热水长时间不能使用"]),
    ("网络购物", "随州市曾都区优选电子商务有限公司", "{d}在该公司网店购买{g}，价款{a}元，收货后{p}，客服不予处理。",
     "七日无理由退货", (89, 1299), ["羽绒服", "运动鞋", "电饭煲"], ["与宣传图片严重不符", "尺码错误", "商品破损"]),
]
REPORTS = [
    ("食品安全违法", "随州市曾都区惠民副食批发部", "该店销售过期食品，货架上有多件超过保质期的散装白酒和饮料。"),
    ("价格违法", "随州市曾都区福临门加油站", "该加油站油价公示牌价格与实际结算价格不一致，每升多收0.3元。"),
    ("无照经营", "曾都区北郊街道交通大道无名烧烤摊", "该烧烤摊无营业执照经营，夜间占道，油烟扰民。"),
    ("虚假广告", "随州市曾都区康源大药房", "该药店宣传保健食品可治疗高血压、糖尿病，涉嫌虚假宣传。"),
    ("特种设备安全", "随州市曾都区金地花园物业服务中心", "小区3栋电梯多次困人，检验合格证已过期仍在运行。"),
]
INQUIRIES = ["请问网购商品七日无理由退货从什么时候开始计算？", "预付卡商家跑路了应该找哪个部门？",
             "买到过期食品可以要求十倍赔偿吗？", "个体工商户年报在哪里办理？", "汽车三包期内维修几次可以换车？"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "150", "152", "158", "177", "187", "189", "133"]) + f"{rng.randrange(10**8):08d}"


def _address(rng: random.Random) -> str:
    street, roads = rng.choice(STREETS)
    if rng.random() < 0.6:
        return f"随州市曾都区{street}{rng.choice(roads)}{rng.randrange(1, 300)}号{rng.choice(COMPOUNDS)}{rng.randrange(1, 20)}栋{rng.randrange(1, 6)}单元"
    return f"随州市曾都区{street}{rng.choice(roads)}{rng.randrange(1, 300)}号"


def _business_address(rng: random.Random, business: str) -> str:
    seed = sum(map(ord, business))
    street, roads = STREETS[seed % len(STREETS)]
    return f"随州市曾都区{street}{roads[seed % len(roads)]}{seed % 280 + 1}号"


def _credit_code(business: str) -> str:
    """A fixed code per business; about a third of them left blank, as when the complainant did not know it."""
    if sum(map(ord, business)) % 3 == 0:
        return ""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    seed = sum(ord(c) * (i + 1) for i, c in enumerate(business))
    tail = "".join(alphabet[(seed // (7**i)) % len(alphabet)] for i in range(8))
    return f"92421303MA{tail}"


def rows(n: int = ROWS, *, seed: int = SEED, start: datetime = START, days: int = DAYS) -> list[list]:
    """n export rows, the same for the same arguments."""
    rng = random.Random(seed)
    repeat_person = ("陈秀英", "13872260001", "随州市曾都区东城街道舜井大道66号汉东名居3栋2单元")
    out = []
    for i in range(n):
        excel_row = i + 3
        at = start + timedelta(days=i * days // n, hours=rng.randrange(0, 9), minutes=rng.randrange(0, 60))
        number = f"42130320{at:%y%m%d}{rng.randrange(1000):03d}{i + 1:04d}"
        person = (_name(rng), _phone(rng), _address(rng))
        kind = "投诉"
        if i % 10 == 7:
            kind = "举报"
        elif i % 10 == 9:
            kind = "咨询"
        if i in (3, 14, 27, 41):  # one person, four complaints
            person, kind = repeat_person, "投诉"
        if i in (5, 16, 30):  # three people, one business
            kind = "投诉"
        if kind == "投诉":
            cat, business, template, demand, (lo, hi), goods, problems = MATTERS[i % len(MATTERS)]
            if i in (5, 16, 30):
                cat, business, template, demand, (lo, hi), goods, problems = MATTERS[3]
            amount = rng.randrange(lo, hi)
            facts = template.format(d=f"{at - timedelta(days=rng.randrange(3, 40)):%Y年%m月%d日}",
                                    g=rng.choice(goods), a=amount, p=rng.choice(problems))
            row = [number, at, kind, *person, business, _business_address(rng, business),
                   _credit_code(business), facts, demand, f"{amount:.2f}", cat]
        elif kind == "举报":
            cat, business, facts = REPORTS[(i // 10) % len(REPORTS)]
            anonymous = rng.random() < 0.4
            row = [number, at, kind, *(("", "", "") if anonymous else person), business,
                   _business_address(rng, business), "", facts, "请依法查处", "", cat]
        else:
            row = [number, at, kind, person[0], person[1], "", "", "", "", rng.choice(INQUIRIES), "", "", ""]
        bad = bad_row(excel_row)
        if bad == "missing_phone":
            row[2], row[4] = "投诉", ""
        elif bad == "unknown_type":
            row[2] = "建议"
        elif bad == "bad_date":
            row[1] = "2026-09-31 10:15"
        out.append(row)
    return out


def write(path: Path = SAMPLE_PATH, n: int = ROWS, *, seed: int = SEED, start: datetime = START,
          days: int = DAYS) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = rows(n, seed=seed, start=start, days=days)
    if n > 1000:
        return _write_large(path, data)
    wb = Workbook()
    ws = wb.active
    ws.title = "登记信息"
    ws.append([TITLE])
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in data:
        ws.append(row)
        ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd hh:mm:ss"
    for col, width in zip("ABCDEFGHIJKLM", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    _finish(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


WIDTHS = (24, 20, 6, 10, 14, 40, 34, 36, 22, 60, 18, 10, 14)


def _finish(wb) -> None:
    # Fixed document properties: regenerating changes only the zip's own timestamps.
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 20, 17, 0)
    wb.properties.creator = "全国12315平台"


def _write_large(path: Path, data: list[list]) -> Path:
    """The same sheet, streamed (openpyxl's write-only mode keeps memory flat for 100k rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("登记信息")
    for col, width in zip("ABCDEFGHIJKLM", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.append([TITLE])
    ws.append(HEADERS)
    for row in data:
        at = row[1]
        if isinstance(at, datetime):
            at = WriteOnlyCell(ws, value=at)
            at.number_format = "yyyy-mm-dd hh:mm:ss"
        ws.append([row[0], at, *row[2:]])
    _finish(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main(argv: list[str]) -> None:
    import argparse

    p = argparse.ArgumentParser(description="写出全国12315平台导出样例文件")
    p.add_argument("path", nargs="?", type=Path, default=SAMPLE_PATH)
    p.add_argument("--rows", type=int, default=ROWS)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--start", type=datetime.fromisoformat, default=START)
    p.add_argument("--days", type=int, default=DAYS)
    a = p.parse_args(argv)
    print(write(a.path, a.rows, seed=a.seed, start=a.start, days=a.days))


if __name__ == "__main__":
    main(sys.argv[1:])
