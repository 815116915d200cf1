// The minutes editor saves itself. Every change is first copied to this
// device (localStorage, keyed by the minutes id) and, two seconds after the
// last keystroke, posted to the server with the version the text started
// from. A dropped connection, a reload or a closed tab loses nothing: the
// next visit restores the unsaved copy and sends it; the copy is removed as
// soon as the server has all of it. Each page is one editor (a token kept
// with its copy) and each save has an id, so a save sent twice, or the next
// save after a lost reply, is not taken for someone else's. If someone else
// saved in between, the server merges both; where both changed the same part
// it answers 409 and both texts are shown, side by side, with a choice.
// A service worker (minutes-sw.js) keeps the page for a reload offline.
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
  var panel = document.getElementById("conflict-live");
  var formsets = window.chiboFormsets;
  var timer = null;
  var retryTimer = null;
  var inFlight = false;
  var again = false;
  var dirty = false;
  var inConflict = false;
  var conflictBase = null;  // during a conflict the copy keeps the version it started from
  var unanswered = null;    // { id, sent } of a save whose reply never came
  var editorToken = null;
  var explicitSave = false;  // the next save is the save button's

  function randomId() {
    return formsets ? formsets.newKey() : String(Date.now()) + String(Math.random()).slice(2);
  }

  function skipped(name) {
    return SKIP[name] || name.indexOf("resolve-") === 0;
  }

  // The form as [name, value] pairs, without the token, the version and choices.
  function fields() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (!skipped(name)) { out.push([name, String(value)]); }
    });
    return out;
  }

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function writeLocal() {
    var base = conflictBase !== null ? conflictBase : parseInt(versionInput.value, 10);
    try {
      window.localStorage.setItem(key, JSON.stringify({
        base: base, at: Date.now(), token: editorToken, fields: fields()
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
    // The same text sent again keeps its id: the server writes it once.
    var saveId = unanswered && unanswered.sent === sent ? unanswered.id : randomId();
    var body = new FormData(form);
    body.append("editor_token", editorToken);
    body.append("save_id", saveId);
    // The save button's save always leaves its own entry in the history.
    if (explicitSave) { body.append("explicit", "1"); explicitSave = false; }
    show(text.textSaving, "body-secondary");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput.value, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      inFlight = false;
      unanswered = null;
      handle(answer.status, answer.data, sent);
    }, function () {
      // No answer at all: offline, the server unreachable, or the reply lost.
      inFlight = false;
      unanswered = { id: saveId, sent: sent };
      show(text.textOffline, "danger");
      retryTimer = window.setTimeout(function () { if (dirty) { save(); } }, RETRY_MS);
    });
  }

  // Take the server's draft into the form, keeping what was typed meanwhile.
  function takeServerFields(pairs, sent) {
    var before = {};
    JSON.parse(sent).forEach(function (pair) { before[pair[0]] = pair[1]; });
    var typed = fields().filter(function (pair) { return before[pair[0]] !== pair[1]; });
    restore(pairs);
    typed.forEach(function (pair) {
      form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (input) {
        if (input.type !== "checkbox" && input.type !== "radio") { input.value = pair[1]; }
      });
    });
    return typed.length > 0;
  }

  function handle(status, data, sent) {
    if (status === 200) {
      if (data.autosave_url) { adopt(data); }
      versionInput.value = String(data.version);
      clearErrors();
      // A save that changed nothing the rules read sends no findings: keep those shown.
      if (data.findings) { renderFindings(data.findings); }
      var typedSince = JSON.stringify(fields()) !== sent;
      if (data.fields) { typedSince = takeServerFields(data.fields, sent); }
      closeConflict();
      if (!typedSince) {
        dirty = false;
        clearLocal();
        show(data.message || (text.textSaved + " " + data.saved_at), "success");
      } else {
        writeLocal();  // typed while saving: keep the copy on its new base
        schedule();
      }
    } else if (status === 409) {
      openConflict(data, sent);
      show(text.textConflict + " " + (data.by || "") + " " + (data.at || ""), "danger");
    } else if (status === 400) {
      markErrors(data.errors || {});
      show(text.textError + ": " + (data.message || ""), "danger");
    } else {
      show(text.textError + (data.message ? ": " + data.message : ""), "danger");
    }
    if (again && status === 200) { again = false; schedule(); }
  }

  // The first save of an editor opened with no minutes created the draft:
  // save to it from now on, and keep this device's copy under its id.
  function adopt(data) {
    var kept = readLocal();
    clearLocal();
    url = data.autosave_url;
    form.dataset.autosaveUrl = url;
    form.dataset.minutesId = String(data.minutes_id);
    key = "chibo-minutes-" + data.minutes_id;
    if (kept) { try { window.localStorage.setItem(key, JSON.stringify(kept)); } catch (e) { /* full */ } }
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

  // A conflict: the merged draft in the form, their text beside it -------------

  function openConflict(data, sent) {
    if (conflictBase === null) { conflictBase = parseInt(versionInput.value, 10); }
    inConflict = true;
    if (data.fields) { takeServerFields(data.fields, sent); }
    versionInput.value = String(data.version);
    // Rendered by the server (meetings/_conflict.html): text only, no script.
    panel.innerHTML = data.html || "";
    panel.classList.remove("d-none");
    panel.scrollIntoView({ block: "start" });
  }

  function closeConflict() {
    inConflict = false;
    conflictBase = null;
    panel.classList.add("d-none");
    panel.textContent = "";
  }

  panel.addEventListener("click", function (event) {
    if (event.target.closest(".js-take-theirs")) { clearLocal(); }
  });

  // Restoring what this device kept, or the server's merged draft ---------------

  function restore(pairs) {
    var values = {};
    pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var totals = {};
    form.querySelectorAll("[data-formset]").forEach(function (box) {
      var prefix = box.dataset.formset;
      var wanted = parseInt((values[prefix + "-TOTAL_FORMS"] || ["0"])[0], 10);
      if (wanted && formsets) { formsets.ensureRows(box, wanted); }
      totals[prefix] = wanted;
    });
    form.querySelectorAll("input, textarea, select").forEach(function (input) {
      var name = input.name;
      if (!name || skipped(name) || /-(TOTAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)) { return; }
      var got = values[name];
      var row = /^(\w+)-(\d+)-/.exec(name);
      if (!got && row && parseInt(row[2], 10) >= totals[row[1]]) {
        // A row the draft does not have: set aside, as if removed.
        if (/-DELETE$/.test(name)) { input.checked = true; }
        return;
      }
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = Boolean(got && got.indexOf(input.value) !== -1);
      } else {
        input.value = got ? got[0] : "";
      }
    });
    if (formsets) { formsets.hideDeleted(form); formsets.ensureKeys(form); }
  }

  var kept = readLocal();
  if (panel.querySelector("#conflict")) {
    // The server showed a conflict on this page: wait for the choice.
    inConflict = true;
    editorToken = (kept && kept.token) || randomId();
  } else if (kept && kept.fields) {
    editorToken = kept.token || randomId();
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
  } else {
    editorToken = randomId();
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", function (event) {
    if (event.target.name && event.target.name.indexOf("resolve-") === 0) { return; }
    edited();
  });
  form.addEventListener("submit", function (event) {
    // With JS the save buttons save in place; without it the form posts.
    // In a conflict, the button under the two texts saves with the choices.
    event.preventDefault();
    inConflict = false;
    writeLocal();
    dirty = true;
    explicitSave = true;
    save();
  });
  window.addEventListener("online", function () { if (dirty) { save(); } });
  window.addEventListener("offline", function () { if (dirty) { show(text.textOffline, "danger"); } });

  // The service worker: keep this page and its files for a reload offline.
  if ("serviceWorker" in navigator && form.dataset.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kept") { form.dataset.offlineReady = "1"; }
    });
    navigator.serviceWorker.register(form.dataset.serviceWorker, {
      scope: form.dataset.serviceWorkerScope
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // A page that came through the worker is kept already; the first one
      // (loaded before the worker existed) is fetched again to be kept.
      var visit = performance.getEntriesByType("navigation")[0];
      var urls = visit && visit.workerStart > 0 ? [] : [window.location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
        urls.push(el.src || el.href);
      });
      performance.getEntriesByType("resource").forEach(function (entry) { urls.push(entry.name); });
      registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(function () { /* no worker (private mode, old browser): the device copy remains */ });
  }
})();
