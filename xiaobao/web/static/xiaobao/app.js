// Small behaviours of the staff pages, kept out of inline attributes so the CSP can forbid inline script.
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-select-all]");
  if (!box) return;
  document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach((b) => { b.checked = box.checked; });
});

// Registration: show only the fields the chosen kind needs (hidden fields keep their values).
function applyKind(form) {
  const checked = form.querySelector('input[name="kind"]:checked');
  const kind = checked ? checked.value : "complaint";
  form.querySelectorAll("[data-kinds]").forEach((el) => {
    el.hidden = !el.dataset.kinds.split(" ").includes(kind);
  });
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-kind-form]").forEach((form) => {
    applyKind(form);
    form.addEventListener("change", (event) => { if (event.target.name === "kind") applyKind(form); });
  });
});

// When an action form opens in place, put the keyboard in its first field; when it comes back refused, in the
// first field the server found wrong.
const FIELDS = "input:not([type=hidden]), select, textarea";
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "action-panel") return;
  const first = event.target.querySelector(`.has-error :is(${FIELDS})`)
    || event.target.querySelector(`${FIELDS}, button`);
  if (first) first.focus();
});

// Keyboard: "/" jumps to the list's search box (Alt+H 我的工作, Alt+N 登记, Alt+L 全部件, Alt+T 分流 are accesskeys).
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) return;
  const search = document.getElementById("q");
  if (search) { event.preventDefault(); search.focus(); }
});

// Errors in place (issue 18): htmx swaps no error response by default, so a refused form looked as if nothing
// happened. A 4xx fragment is the form or panel again, with the server's message and what was typed: swap it
// like a success. A whole page (the 403 or 404 of an item one may no longer see), a 5xx or a lost connection
// leaves the form as it was and says what went wrong at its top.
function alertIn(target, message) {
  let box = target.querySelector(":scope > .htmx-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "error htmx-error";
    box.setAttribute("role", "alert");
    target.prepend(box);
  }
  box.textContent = message;
}
function pageMessage(html) {
  const main = new DOMParser().parseFromString(html, "text/html").querySelector("main");
  const heading = main && main.querySelector("h1");
  const text = main && main.querySelector("h1 ~ p, p");
  return [heading, text].filter(Boolean).map((el) => el.textContent.trim()).join("：");
}
document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, target } = event.detail;
  if (xhr.status < 400 || xhr.status >= 500) return;
  event.detail.isError = false;
  if (/^\s*<!doctype/i.test(xhr.responseText)) {
    event.detail.shouldSwap = false;
    alertIn(target, pageMessage(xhr.responseText) || `操作未完成（${xhr.status}）。`);
  } else {
    event.detail.shouldSwap = true;
  }
});
document.addEventListener("htmx:responseError", (event) => {
  alertIn(event.detail.target, `系统出错（${event.detail.xhr.status}），操作未完成，请稍后再试。`);
});
document.addEventListener("htmx:sendError", (event) => {
  alertIn(event.detail.target, "无法连接服务器，操作未完成。请检查网络后再试，填写的内容仍在。");
});
