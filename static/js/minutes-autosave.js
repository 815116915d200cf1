// The minutes editor saves itself. Every change is first copied to this
// device (localStorage, keyed by the minutes id) and, two seconds after the
// last keystroke, posted to the server with the version the text started
// from. A dropped connection, a reload or a closed tab loses nothing: the
// next visit restores the unsaved copy and sends it. If someone else saved
// in between the server answers 409 and both texts are shown; nothing is
// overwritten without the user choosing to.
(function () {
  "use strict";
  var form = document.querySelector("form.js-minutes");
  if (!form) { return; }

  var DEBOUNCE_MS = 2000;
  var RETRY_MS = 30000;
  var SKIP = { csrfmiddlewaretoken: true, version: true };
  var key = "chibo-minutes-" + form.dataset.minutesId;
  var url = form.dataset.autosaveUrl;
  var text = form.dataset;
  var statusEl = document.getElementById("save-status");
  var statusClass = statusEl.className;
  var versionInput = form.querySelector("input[name='version']");
  var tokenInput = form.querySelector("input[name='csrfmiddlewaretoken']");
  var timer = null;
  var retryTimer = null;
  var inFlight = false;
  var again = false;
  var dirty = false;
  var inConflict = false;

  // The form as [name, value] pairs, without the token and the version.
  function fields() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (!SKIP[name]) { out.push([name, String(value)]); }
    });
    return out;
  }

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function writeLocal() {
    try {
      window.localStorage.setItem(key, JSON.stringify({
        base: parseInt(versionInput.value, 10), at: Date.now(), fields: fields()
      }));
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
  }

  function clearLocal() {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing to clear */ }
  }

  function show(message, tone) {
    statusEl.textContent = message;
    statusEl.className = statusClass + (tone ? " text-" + tone : "");
    statusEl.dataset.state = tone || "ok";
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay === undefined ? DEBOUNCE_MS : delay);
  }

  function edited() {
    dirty = true;
    writeLocal();
    // During a conflict the status keeps saying so until the user chooses.
    if (inConflict) { return; }
    show(text.textUnsaved, "warning-emphasis");
    schedule();
  }

  function save() {
    window.clearTimeout(timer);
    window.clearTimeout(retryTimer);
    if (inConflict) { return; }
    if (inFlight) { again = true; return; }
    inFlight = true;
    var sent = JSON.stringify(fields());
    show(text.textSaving, "body-secondary");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput.value, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      inFlight = false;
      handle(answer.status, answer.data, sent);
    }, function () {
      // No answer at all: offline, or the server is unreachable.
      inFlight = false;
      show(text.textOffline, "danger");
      retryTimer = window.setTimeout(function () { if (dirty) { save(); } }, RETRY_MS);
    });
  }

  function handle(status, data, sent) {
    if (status === 200) {
      versionInput.value = String(data.version);
      clearErrors();
      renderFindings(data.findings || []);
      if (JSON.stringify(fields()) === sent) {
        dirty = false;
        clearLocal();
        show(text.textSaved + " " + data.saved_at, "success");
      } else {
        writeLocal();  // typed while saving: keep the copy on its new base
        schedule();
      }
    } else if (status === 409) {
      inConflict = true;
      showConflict(data);
      show(text.textConflict + " " + (data.by || "") + " " + (data.at || ""), "danger");
    } else if (status === 400) {
      markErrors(data.errors || {});
      show(text.textError + ": " + (data.message || ""), "danger");
    } else {
      show(text.textError + (data.message ? ": " + data.message : ""), "danger");
    }
    if (again && status === 200) { again = false; schedule(); }
  }

  // Validation errors, next to their fields -----------------------------------

  function clearErrors() {
    form.querySelectorAll(".js-live-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
  }

  function markErrors(errors) {
    clearErrors();
    Object.keys(errors).forEach(function (name) {
      var field = form.querySelector("[name='" + name + "']");
      if (!field) { return; }
      field.classList.add("is-invalid");
      var note = document.createElement("div");
      note.className = "invalid-feedback d-block js-live-error";
      note.textContent = errors[name].join(" ");
      field.insertAdjacentElement("afterend", note);
    });
  }

  function renderFindings(findings) {
    var box = document.getElementById("findings");
    if (!box) { return; }
    box.textContent = "";
    if (!findings.length) { return; }
    var list = document.createElement("ul");
    list.className = "list-unstyled mb-2 small js-findings";
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = finding.blocking ? "text-danger" : "text-warning-emphasis";
      item.textContent = finding.message;
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  // A conflict: show their text beside ours ------------------------------------

  function showConflict(data) {
    var panel = document.getElementById("conflict-live");
    panel.querySelector(".js-conflict-message").textContent = data.message || "";
    var list = panel.querySelector(".js-conflict-theirs");
    list.textContent = "";
    (data.theirs || []).forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row.label;
      var dd = document.createElement("dd");
      dd.className = "border-start ps-2 text-prewrap";
      dd.textContent = row.text || "—";
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.dataset.version = String(data.version);
    panel.classList.remove("d-none");
    panel.scrollIntoView({ block: "start" });
  }

  var panel = document.getElementById("conflict-live");
  panel.querySelector(".js-keep-mine").addEventListener("click", function () {
    // The user chose, having seen their text: save over it.
    versionInput.value = panel.dataset.version;
    inConflict = false;
    panel.classList.add("d-none");
    writeLocal();
    save();
  });
  panel.querySelector(".js-take-theirs").addEventListener("click", function () {
    clearLocal();
  });

  // Restoring what this device kept ---------------------------------------------

  function restore(pairs) {
    var totals = {};
    pairs.forEach(function (pair) {
      var match = /^(.*)-TOTAL_FORMS$/.exec(pair[0]);
      if (match) { totals[match[1]] = parseInt(pair[1], 10); }
    });
    form.querySelectorAll("[data-formset]").forEach(function (box) {
      var wanted = totals[box.dataset.formset];
      if (wanted && window.chiboFormsets) { window.chiboFormsets.ensureRows(box, wanted); }
    });
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (input) {
      input.checked = false;
    });
    pairs.forEach(function (pair) {
      form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === pair[1]) { input.checked = true; }
        } else {
          input.value = pair[1];
        }
      });
    });
    if (window.chiboFormsets) { window.chiboFormsets.hideDeleted(form); }
  }

  var kept = readLocal();
  if (kept && kept.fields) {
    if (JSON.stringify(kept.fields) === JSON.stringify(fields())) {
      clearLocal();  // the server already has exactly this
    } else {
      restore(kept.fields);
      versionInput.value = String(kept.base);
      dirty = true;
      form.classList.add("is-restored");
      show(text.textRestored, "warning-emphasis");
      schedule(0);
    }
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", function (event) {
    // With JS the save button saves in place; without it the form posts.
    event.preventDefault();
    writeLocal();
    dirty = true;
    save();
  });
  window.addEventListener("online", function () { if (dirty) { save(); } });
  window.addEventListener("offline", function () { if (dirty) { show(text.textOffline, "danger"); } });
})();
