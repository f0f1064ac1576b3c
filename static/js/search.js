// Progressive enhancement for the search page: ticking a facet or changing the
// order updates the results without a full reload, and the back button still
// works. Without JavaScript the same form submits as a plain GET.
(function () {
  "use strict";

  function root() { return document.querySelector("[data-search-root]"); }

  async function load(url, push) {
    const response = await fetch(url, { headers: { "X-Requested-With": "fetch" } });
    const html = await response.text();
    const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-search-root]");
    if (!next) { window.location.assign(url); return; }
    // Keep the panels as the reader left them (open or folded away on a phone).
    root().querySelectorAll("details[data-fold-on-phone]").forEach(function (panel, index) {
      const nextPanel = next.querySelectorAll("details[data-fold-on-phone]")[index];
      if (nextPanel) {
        nextPanel.open = panel.open;
        nextPanel.removeAttribute("data-unfold-wide");
      }
    });
    // A keyboard user keeps their place: focus goes back to the same control.
    const active = document.activeElement;
    const inside = active && root().contains(active);
    const key = inside && active.name ? [active.name, active.value] : null;
    root().replaceWith(next);
    settlePanels(next);
    if (push) { history.pushState({ search: true }, "", url); }
    bind();
    if (inside) { restoreFocus(next, key); }
  }

  // The panels arrive folded, and on a wider screen the stylesheet already shows what they
  // hold: open them for real there (nothing moves), so that they fold when asked to.
  function settlePanels(container) {
    const wide = !window.matchMedia("(max-width: 48rem)").matches;
    container.querySelectorAll("details[data-unfold-wide]").forEach(function (panel) {
      if (wide) { panel.open = true; }
      panel.removeAttribute("data-unfold-wide");
    });
  }

  function restoreFocus(container, key) {
    let target = null;
    if (key) {
      target = Array.from(container.querySelectorAll("[name]")).find(function (element) {
        return element.name === key[0] && (element.type !== "checkbox" || element.value === key[1]);
      });
    }
    // A removed chip leaves nothing to return to: go to the result count instead.
    if (!target) {
      target = container.querySelector("#results-heading");
      if (target) { target.setAttribute("tabindex", "-1"); }
    }
    if (target) { target.focus({ preventScroll: true }); }
  }

  function formUrl(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== "") { params.append(name, value); }
    }
    return form.action + (params.toString() ? "?" + params.toString() : "");
  }

  function bind() {
    const form = document.querySelector("[data-search-form]");
    if (!form) { return; }
    form.querySelectorAll("[data-facet]").forEach(function (input) {
      input.addEventListener("change", function () { load(formUrl(form), true); });
    });
    document.querySelectorAll("[data-chip-remove]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        load(link.href, true);
      });
    });
  }

  window.addEventListener("popstate", function () { load(window.location.href, false); });
  document.addEventListener("DOMContentLoaded", function () {
    settlePanels(document);
    bind();
  });
})();
