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

// Just finalized: the PDF is archived in the background. Look again every few
// seconds and reload the page once the archive exists (the link works meanwhile).
(function () {
  "use strict";
  var pending = document.querySelector(".pdf-pending");
  if (!pending || !window.fetch) { return; }
  var tries = 0;
  var timer = window.setInterval(function () {
    tries += 1;
    if (tries > 20) { window.clearInterval(timer); return; }
    window.fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (html && html.indexOf('id="' + pending.id + '"') === -1) {
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { /* offline for a moment: try again later */ });
  }, 4000);
})();
