// Repeatable rows of a Django formset: [data-formset=<prefix>] holds .js-rows,
// a <template class="js-row-template"> (the empty form, "__prefix__" for the
// index) and .js-add-row. Removing a row ticks its hidden DELETE box and
// hides it, so indexes never change. Without JS the extra blank row serves.
(function () {
  "use strict";

  // A row's key names it across saves; the server matches rows by it.
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    return Date.now().toString(16) + Math.random().toString(16).slice(2, 14);
  }

  function ensureKeys(scope) {
    scope.querySelectorAll(".js-row input[name$='-key']").forEach(function (input) {
      if (!input.value) { input.value = newKey(); }
    });
  }

  function changed(form) {
    // Let the autosave (and live counts) know the form changed.
    if (form) { form.dispatchEvent(new Event("input", { bubbles: true })); }
  }

  function addRow(box) {
    var prefix = box.dataset.formset;
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var html = box.querySelector(".js-row-template").innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    box.querySelector(".js-rows").appendChild(row);
    total.value = String(index + 1);
    ensureKeys(row);
    wire(row);
    return row;
  }

  function wire(row) {
    var remove = row.querySelector(".js-remove-row");
    if (!remove) { return; }
    remove.classList.remove("d-none");
    remove.addEventListener("click", function () {
      var box = row.querySelector(".js-delete");
      if (box) { box.checked = true; }
      row.classList.add("d-none");
      changed(row.closest("form"));
    });
  }

  function ensureRows(box, count) {
    var prefix = box.dataset.formset;
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    while (parseInt(total.value, 10) < count) { addRow(box); }
  }

  function hideDeleted(scope) {
    scope.querySelectorAll(".js-row").forEach(function (row) {
      var box = row.querySelector(".js-delete");
      row.classList.toggle("d-none", Boolean(box && box.checked));
    });
  }

  document.querySelectorAll("[data-formset]").forEach(function (box) {
    ensureKeys(box);
    box.querySelectorAll(".js-rows > .js-row").forEach(wire);
    var add = box.querySelector(".js-add-row");
    if (add) {
      add.classList.remove("d-none");
      add.addEventListener("click", function () {
        var row = addRow(box);
        var first = row.querySelector("textarea, input[type=text], select");
        if (first) { first.focus(); }
        changed(box.closest("form"));
      });
    }
  });

  window.chiboFormsets = {
    ensureRows: ensureRows, hideDeleted: hideDeleted, ensureKeys: ensureKeys, newKey: newKey
  };
})();
