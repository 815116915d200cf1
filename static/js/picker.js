// Search-as-you-type pickers (chibo/pickers.py): the search input becomes an
// ARIA combobox whose listbox shows the endpoint's matches; choosing one adds
// a ticked chip (a multiple picker) or replaces the chosen one. Without this
// script the typed text is submitted and the server resolves it.
(function () {
  "use strict";
  var DELAY = 200;

  function init(root) {
    var input = root.querySelector("input[role=combobox]");
    var listbox = root.querySelector("[role=listbox]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var status = root.querySelector("[data-picker-status]");
    var multiple = root.hasAttribute("data-multiple");
    var name = root.getAttribute("data-name");
    var timer = null, asked = 0, active = -1, results = [];

    function options() { return listbox.querySelectorAll("[role=option]"); }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function show(data) {
      results = data.results;
      listbox.textContent = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "picker-option";
        option.textContent = result.label;
        if (result.detail) {
          var detail = document.createElement("small");
          detail.className = "text-body-secondary d-block";
          detail.textContent = result.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: choosing must not blur the input first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "picker-empty text-body-secondary";
        none.textContent = root.getAttribute("data-none") || "—";
        listbox.appendChild(none);
      }
      if (data.more) {
        var more = document.createElement("li");
        more.className = "picker-more text-body-secondary small";
        more.textContent = root.getAttribute("data-more") || "…";
        listbox.appendChild(more);
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length + (data.more ? "+" : "");
      active = -1;
    }

    function ask() {
      var number = ++asked;
      var url = root.getAttribute("data-url") + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          // Answers can arrive out of order: only the latest is shown.
          if (number === asked && document.activeElement === input) { show(data); }
        })
        .catch(function () { /* offline: the typed text is still submitted */ });
    }

    function chip(result) {
      var id = input.id + "_" + result.value;
      var span = document.createElement("span");
      span.className = "picker-chip";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.name = name;
      box.value = result.value;
      box.id = id;
      box.checked = true;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = result.label;
      if (result.detail) {
        var detail = document.createElement("small");
        detail.className = "text-body-secondary";
        detail.textContent = " " + result.detail;
        label.appendChild(detail);
      }
      span.appendChild(box);
      span.appendChild(label);
      return span;
    }

    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      var same = chosen.querySelector("input[value='" + result.value + "']");
      if (!multiple) {
        chosen.textContent = "";
        same = null;
      }
      if (same) {
        same.checked = true;
      } else {
        chosen.appendChild(chip(result));
      }
      // What the server offered without JS is no longer the question.
      root.querySelectorAll(".picker-offers input").forEach(function (box) { box.checked = false; });
      input.value = "";
      close();
      status.textContent = result.label;
      input.dispatchEvent(new Event("picker:chosen", { bubbles: true }));
      input.focus();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      asked++;
      close();
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) { highlight(active + 1); } else { ask(); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // choose, do not submit the form
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
  }

  document.querySelectorAll("[data-picker]").forEach(init);
})();
