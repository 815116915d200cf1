// The attendance screen: live counts, "everyone present", reasons shown
// only where they matter. The server checks everything again on save.
(function () {
  "use strict";
  var form = document.querySelector(".js-attendance");
  if (!form) { return; }
  var counted = ["present", "late", "absent_excused", "absent_unexcused"];

  function checked(row) {
    return row.querySelector("input.js-status:checked");
  }

  function refresh() {
    var counts = {};
    counted.forEach(function (key) { counts[key] = 0; });
    form.querySelectorAll(".js-attendance-row.js-home").forEach(function (row) {
      var input = checked(row);
      if (input && counts.hasOwnProperty(input.value)) { counts[input.value] += 1; }
    });
    // The cadres counted are the switches listed below: one list, one count.
    counts.cadres = form.querySelectorAll("input.js-cadre:checked").length;
    counted.concat(["cadres"]).forEach(function (key) {
      document.querySelectorAll(".attendance-counts [data-count='" + key + "']").forEach(function (el) {
        el.textContent = String(counts[key]);
      });
    });
    form.querySelectorAll(".js-attendance-row").forEach(function (row) {
      var input = checked(row);
      var reason = row.querySelector(".js-reason");
      var text = reason.querySelector("input");
      var needed = input && input.value !== "present" && input.value !== "exempt";
      reason.classList.toggle("d-none", !needed && !text.value);
    });
  }

  var allPresent = form.querySelector(".js-all-present");
  if (allPresent) {
    allPresent.classList.remove("d-none");
    allPresent.addEventListener("click", function () {
      form.querySelectorAll(".js-attendance-row.js-home").forEach(function (row) {
        if (!checked(row)) {
          var present = row.querySelector("input.js-status[value='present']");
          if (present) { present.checked = true; }
        }
      });
      refresh();
    });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
