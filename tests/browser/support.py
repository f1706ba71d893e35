"""What the browser tests share: logging in, and the accessibility checks run in the page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, complaint_body, report_body
from xiaobao.cases import services
from xiaobao.cases.models import Case

# Every visible form control is named by a <label>, aria-label or aria-labelledby.
UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && !el.closest('[aria-hidden="true"]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 160))"""

# WCAG 2.x contrast of every visible element that holds text of its own (body text, links, buttons, labels),
# against the background it sits on (ancestors' background colours, blended where translucent).
LOW_CONTRAST = """(minimum) => {
  const parse = (s) => {
    const m = s.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const blend = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'TEMPLATE'].includes(el.tagName)) continue;
    if (el.disabled || el.closest('[aria-hidden="true"]')) continue;
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || s.visibility === 'hidden' || s.display === 'none') continue;
    const bg = background(el);
    let fg = parse(s.color);
    if (fg[3] < 1) fg = blend(fg, bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < minimum) {
      out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} ` +
               `"${el.textContent.trim().slice(0, 30)}" ${s.color} on rgb(${bg.slice(0, 3).map(Math.round)}) ` +
               `= ${ratio.toFixed(2)}:1`);
    }
  }
  return out;
}"""


def login(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def assert_accessible(page: Page) -> None:
    """Every control labelled, and text of body, links and buttons at 4.5:1 at least."""
    unlabelled = page.evaluate(UNLABELLED_CONTROLS)
    assert unlabelled == [], f"controls without a label on {page.url}: {unlabelled}"
    assert page.evaluate(LOW_CONTRAST, 4.5) == [], f"text below 4.5:1 contrast on {page.url}"


def open_action(page: Page, label: str) -> None:
    """Click an action of the item's page; its form comes into the action panel through htmx."""
    page.locator("section.actions").get_by_role("link", name=label, exact=True).click()
    expect(page.locator("#action-panel h3")).to_have_text(label)
    # The form's own htmx attributes (a search as one types) work once htmx has settled the swap; typing before
    # that, under load, fired nothing (a CI run: the standard-answer search never answered).
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def confirm_action(page: Page, label: str) -> None:
    """Submit the open action form; htmx sends the browser back to the item's page with a message."""
    page.get_by_role("button", name=f"确认{label}").click()
    expect(page.locator(".flash")).to_contain_text(f"已{label}")


def complaint_for_nanjiao(staff: dict) -> Case:
    """A phone complaint registered now by 消保股 and assigned to 南郊所 (no approval needed)."""
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": "属地分流"})


def report_awaiting_routing_approval(staff: dict) -> Case:
    """A report routed to 南郊所 by 消保股: reports wait for the deputy director's approval (规则 二.1（2））."""
    case, _ = services.register_case(actor=staff["xiaobao"], data=report_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": "属地分流"})
