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
    // Keep the facet panel as the reader left it (open or folded away on a phone).
    const panel = document.querySelector(".facet-panel");
    const nextPanel = next.querySelector(".facet-panel");
    if (panel && nextPanel) { nextPanel.open = panel.open; }
    root().replaceWith(next);
    if (push) { history.pushState({ search: true }, "", url); }
    bind();
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
    // On a phone the facets start folded so the results come first.
    const panel = document.querySelector(".facet-panel");
    if (panel && window.matchMedia("(max-width: 48rem)").matches) { panel.open = false; }
    bind();
  });
})();
