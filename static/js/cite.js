// "Copy" buttons for citations and paragraph links. The buttons are hidden in
// the HTML and shown here, so a reader without JavaScript (or without a
// clipboard) sees only text and links, which can be selected and copied.
(function () {
  "use strict";

  function announce(button, message) {
    const status = document.getElementById(button.dataset.status || "copy-status");
    if (status) { status.textContent = message; }
  }

  async function copy(button) {
    let text = button.dataset.copyText || "";
    if (button.dataset.copyTarget) {
      const target = document.getElementById(button.dataset.copyTarget);
      text = target ? target.textContent.trim() : "";
    }
    if (button.dataset.copyHref) {
      text = new URL(button.dataset.copyHref, window.location.href).href;
    }
    try {
      await navigator.clipboard.writeText(text);
      announce(button, (button.dataset.copiedLabel || "Copied") + ".");
    } catch (error) {
      announce(button, "Copying failed; select the text and copy it instead.");
    }
  }

  function init() {
    if (!navigator.clipboard) { return; }
    document.querySelectorAll("button[data-copy-target], button[data-copy-href]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
