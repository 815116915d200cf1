// Behaviour shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // The language selector applies on change; its button stays for no-JS use.
  document.querySelectorAll(".js-language select").forEach(function (select) {
    select.form.querySelector(".js-language-submit").classList.add("d-none");
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
