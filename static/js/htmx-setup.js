// Loaded right after htmx, only on the pages that use it (templates/includes/htmx.html).
(function () {
  "use strict";
  // htmx would add its indicator rules as an inline <style>, which the CSP
  // blocks (a console error): the rules live in chibo.css instead.
  htmx.config.includeIndicatorStyles = false;
  // Send the CSRF token of the page's form with htmx requests.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
