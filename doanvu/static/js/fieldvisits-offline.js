/* Logging a field visit from a phone with a weak signal (issue 13, FV-2): our own script, no
   framework. The log form is sent with fetch; when there is no connection the visit — its fields
   and its photos as Blobs — is kept in IndexedDB on the phone and sent again when the connection
   returns (the "online" event, or the next visit to a field-visit page). Each visit carries the
   client key (a UUID) the page made, so a resend returns the visit already made, never a second.
   The service worker (served at /di-co-so/sw.js) keeps the form page and its CSS/JS so the form
   opens offline. The messages come from the page (data-msg-* on this script's tag, translated). */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var SW = me.getAttribute("data-sw"), SYNC = me.getAttribute("data-sync");
  var MSG = {
    saved: me.getAttribute("data-msg-saved") || "",
    sent: me.getAttribute("data-msg-sent") || "",
    refused: me.getAttribute("data-msg-refused") || "",
    discard: me.getAttribute("data-msg-discard") || "",
    pending: me.getAttribute("data-msg-pending") || ""
  };
  var DB_NAME = "doanvu-fieldvisits", STORE = "outbox";

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no indexedDB")); return; }
      var req = window.indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out = work(store);
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function allRecords() { return tx("readonly", function (s) { return s.getAll(); }); }
  function putRecord(rec) { return tx("readwrite", function (s) { s.put(rec); }); }
  function dropRecord(key) { return tx("readwrite", function (s) { s["delete"](key); }); }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function status(text) {
    var el = document.querySelector("[data-fv-status]");
    if (!el) { return; }
    el.textContent = text;
    el.hidden = !text;
  }

  // The record kept on the phone: the form's fields, and each file as a Blob with its name.
  function recordOf(form) {
    var fields = [], files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (value instanceof Blob) {
        if (value.size) { files.push({ name: name, blob: value, filename: value.name || "tep" }); }
      } else {
        fields.push([name, value]);
      }
    });
    var key = form.querySelector("[name=client_key]").value;
    return { key: key, fields: fields, files: files, saved: new Date().toISOString(), error: "" };
  }

  function bodyOf(rec) {
    var fd = new FormData();
    rec.fields.forEach(function (f) { fd.append(f[0], f[1]); });
    rec.files.forEach(function (f) { fd.append(f.name, f.blob, f.filename); });
    fd.append("csrfmiddlewaretoken", csrf());
    return fd;
  }

  function send(body) {
    return fetch(SYNC, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    });
  }

  // Send what the phone keeps; a refusal stays listed with its reason until discarded.
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(0); }
    flushing = true;
    var sent = 0;
    return allRecords().then(function (records) {
      var chain = Promise.resolve();
      records.forEach(function (rec) {
        if (rec.error) { return; }
        chain = chain.then(function () {
          return send(bodyOf(rec)).then(function (resp) {
            if (resp.ok) { sent += 1; return dropRecord(rec.key); }
            if (resp.status === 400) {
              return resp.json().then(function (data) {
                rec.error = (data.errors || []).join(" ");
                return putRecord(rec);
              });
            }
            throw new Error("not now");  // 403, 5xx: try again later
          });
        });
      });
      return chain;
    })["catch"](function () { return null; }).then(function () {
      flushing = false;
      if (sent) { status(MSG.sent.replace("{n}", String(sent))); }
      return render().then(function () { return sent; });
    });
  }

  function render() {
    var box = document.querySelector("[data-fv-pending]");
    if (!box) { return Promise.resolve(); }
    return allRecords().then(function (records) {
      var list = box.querySelector("[data-fv-pending-list]");
      list.textContent = "";
      records.forEach(function (rec) {
        var li = document.createElement("li");
        var dates = rec.fields.filter(function (f) { return f[0] === "start_date"; });
        li.textContent = (dates.length ? dates[0][1] + " · " : "") +
          (rec.error ? MSG.refused + " " + rec.error : MSG.pending);
        var b = document.createElement("button");
        b.type = "button"; b.className = "small secondary"; b.textContent = MSG.discard;
        b.addEventListener("click", function () { dropRecord(rec.key).then(render); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
        list.appendChild(li);
      });
      box.hidden = records.length === 0;
    })["catch"](function () { return null; });
  }

  function setup(form) {
    var keyInput = form.querySelector("[name=client_key]");
    if (keyInput && !keyInput.value) { keyInput.value = uuid(); }
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !keyInput) { return; }
      event.preventDefault();
      var rec = recordOf(form);
      var native = function () { HTMLFormElement.prototype.submit.call(form); };
      var keep = function () {
        return putRecord(rec).then(function () {
          status(MSG.saved);
          form.reset();
          keyInput.value = uuid();
          window.scrollTo(0, 0);
        })["catch"](native);
      };
      if (!navigator.onLine) { keep(); return; }
      send(new FormData(form)).then(function (resp) {
        if (resp.ok) {
          return resp.json().then(function (data) { window.location.assign(data.url); });
        }
        native();  // the server shows its refusal beside the field (same key: no duplicate)
        return null;
      }, keep);
    });
  }

  function quickDates() {
    document.querySelectorAll("[data-fv-yesterday]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        var start = document.getElementById("id_start_date");
        var end = document.getElementById("id_end_date");
        if (!start || !end) { return; }
        event.preventDefault();
        start.value = a.getAttribute("data-fv-yesterday");
        end.value = start.value;
        var save = document.querySelector("[data-testid=fv-save]");
        if (save) { save.focus(); }
      });
    });
  }

  function start() {
    if (SW && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(SW)["catch"](function () { return null; });
    }
    var form = document.querySelector("form[data-fv-offline]");
    if (form) { setup(form); }
    quickDates();
    render();
    flush();
    window.addEventListener("online", flush);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
