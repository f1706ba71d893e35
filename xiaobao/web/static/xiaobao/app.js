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

// When an action form opens in place, put the keyboard in its first field.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "action-panel") return;
  const first = event.target.querySelector("input:not([type=hidden]), select, textarea, button");
  if (first) first.focus();
});

// Keyboard: "/" jumps to the list's search box (Alt+H 我的工作, Alt+N 登记, Alt+L 全部件, Alt+T 分流 are accesskeys).
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) return;
  const search = document.getElementById("q");
  if (search) { event.preventDefault(); search.focus(); }
});

// A refused action (409) or a form with errors (422) comes back as the form with its message: show it in place
// (htmx 2 swaps no 4xx response by default, so the refusal would go unseen).
document.addEventListener("htmx:beforeSwap", (event) => {
  if ([409, 422].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
