// Finalizing takes a few seconds on a slow phone: show that it is under way,
// and keep a second tap from sending it twice. No inline script (CSP).
(function () {
  "use strict";
  document.querySelectorAll("form.js-finalize-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      button.replaceChildren(spinner, document.createTextNode(button.dataset.busyText || "…"));
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
    });
  });
})();
