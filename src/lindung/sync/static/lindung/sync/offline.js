// Offline work (loaded on every page; the CSP allows no inline script).
//
// On every page: registers the service worker, keeps the online/offline indicator and the
// count of records waiting, empties the phone's store at sign-out and when another user
// signs in on the same browser. On the offline page (#offline-app): the forms keep their
// records in IndexedDB, each with a client-made id, and send them to POST /api/v1/sync when
// the connection returns (automatically, and with the button). Refused records stay, with
// the server's messages, to be corrected; accepted ones and conflicts leave the phone (a
// conflict waits in the server's conflict report).
(function () {
  "use strict";

  var DB_NAME = "lindung-offline";
  var USER_KEY = "lindung-user";
  var DEVICE_KEY = "lindung-device";
  var CHUNK = 50;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("outbox", { keyPath: "client_id" });
        db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = action(tx.objectStore(storeName));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : result);
        };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function allRecords() {
    return run("outbox", "readonly", function (store) { return store.getAll(); })
      .then(function (rows) {
        return rows.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      });
  }
  function putRecord(row) { return run("outbox", "readwrite", function (s) { s.put(row); }); }
  function dropRecord(id) { return run("outbox", "readwrite", function (s) { s.delete(id); }); }
  function getMeta(key) {
    return run("meta", "readonly", function (s) { return s.get(key); }).then(function (row) {
      return row ? row.value : null;
    });
  }
  function setMeta(key, value) {
    return run("meta", "readwrite", function (s) { s.put({ key: key, value: value }); });
  }

  // Emptied at sign-out and when another user signs in: records and downloaded data of
  // one user never go out under another's name.
  function clearAll() {
    try { localStorage.removeItem(USER_KEY); } catch (e) { /* private mode */ }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("lindung-clear");
    }
    return new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function deviceId() {
    var id = null;
    try { id = localStorage.getItem(DEVICE_KEY); } catch (e) { /* private mode */ }
    if (!id) {
      id = newId();
      try { localStorage.setItem(DEVICE_KEY, id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  var texts = {};
  function say(key, params) {
    var text = texts[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(params[name]));
    });
    return text;
  }

  // --- the indicator, on every page ---------------------------------------------------------

  function showStatus() {
    var box = document.getElementById("net-status");
    if (!box) {
      return Promise.resolve();
    }
    var label = box.querySelector("[data-net-label]");
    var online = navigator.onLine;
    box.classList.toggle("offline", !online);
    if (label) {
      label.textContent = box.getAttribute(online ? "data-online" : "data-offline");
    }
    return allRecords().then(function (rows) {
      box.querySelector("[data-net-pending]").textContent = String(rows.length);
      return rows;
    }).catch(function () { return []; });
  }

  // --- the offline page ---------------------------------------------------------------------

  var app = null;
  var data = null;

  function fillOptions() {
    if (!app) {
      return;
    }
    app.querySelectorAll("select[data-options]").forEach(function (select) {
      var list = (data && data[select.getAttribute("data-options")]) || [];
      var current = select.value;
      select.textContent = "";
      list.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.code || item.enrollment_id || item.id;
        option.textContent = item.name || item.label ||
          (item.full_name + " — " + item.village_code);
        select.appendChild(option);
      });
      if (current) {
        select.value = current;
      }
    });
    fillEdit();
    var status = document.getElementById("offline-data-status");
    status.textContent = data ? say("data_as_of", {
      when: shownDate(data.as_of), villages: data.villages.length,
      workers: (data.workers || []).length, items: (data.work_items || []).length
    }) + (data.rates ? " " + say("rates_until", { until: shownDate(data.rates.valid_until) }) : "")
      : say("data_none");
  }

  // 2026-12-15 -> 15/12/2026, as every page writes dates.
  function shownDate(iso) {
    var parts = String(iso || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : String(iso || "");
  }

  // Rp 16.800, as every page writes money.
  function rupiah(amount) {
    return "Rp " + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function workerById(id) {
    var list = (data && data.workers) || [];
    return list.filter(function (w) { return String(w.id) === String(id); })[0];
  }

  // What the phone holds of a worker's edit-form fields (older downloads: four of them).
  function valuesOfWorker(worker) {
    return worker.values || {
      full_name: worker.full_name, address: worker.address, phone: worker.phone,
      occupation: worker.occupation
    };
  }

  function editFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.hasAttribute("data-edit");
    });
  }

  // The edit form shows the phone's copy of the chosen worker; a write-only field (the
  // mother's maiden name) stays empty and is sent only when typed.
  function fillEdit() {
    var form = document.getElementById("offline-edit");
    var worker = form && workerById(form.elements.worker_id.value);
    if (!worker) {
      return;
    }
    var values = valuesOfWorker(worker);
    editFields(form).forEach(function (field) {
      var value = values[field.name];
      if (field.type === "checkbox") {
        field.checked = !!value;
      } else {
        field.value = value === null || value === undefined ? "" : String(value);
      }
    });
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) {
        throw new Error(String(response.status));
      }
      return response.json();
    });
  }

  // The rest of a paged list: page after page until the server says there is no next one.
  function fetchRest(url, body, list, next) {
    if (body[next] === null || body[next] === undefined) {
      return Promise.resolve();
    }
    var progress = document.getElementById("offline-data-status");
    var more = function (after) {
      if (progress) {
        progress.textContent = say("downloading", {
          done: body[list].length, total: body[list + "_total"]
        });
      }
      return getJson(url + "?after=" + encodeURIComponent(after)).then(function (page) {
        Array.prototype.push.apply(body[list], page.items);
        return page.next === null ? null : more(page.next);
      });
    };
    return more(body[next]);
  }

  // The whole scope, page by page; kept on the phone only once complete (an interrupted
  // download keeps the previous copy rather than half a village).
  function downloadData() {
    if (!navigator.onLine) {
      return Promise.resolve();
    }
    var base = app.getAttribute("data-offline-url");
    var body = null;
    return getJson(base)
      .then(function (first) {
        body = first;
        return fetchRest(base + "/workers", body, "workers", "workers_next");
      })
      .then(function () {
        return fetchRest(base + "/work-items", body, "work_items", "work_items_next");
      })
      .then(function () {
        body.workers_next = body.work_items_next = null;
        body.workers_truncated = body.work_items_truncated = false;
        data = body;
        return setMeta("offline-data", body);
      })
      .then(fillOptions)
      .catch(function () {
        fillOptions();  // keep what the phone has
        if (body) {
          message(say("download_failed"));
        }
      });
  }

  // The NIK checks that need no server: 16 digits, birth date and sex, region prefix.
  function checkWorker(values) {
    var problems = [];
    ["nik", "full_name", "birth_date", "village_code", "category"].forEach(function (name) {
      if (!values[name]) {
        problems.push(say("required", { field: name }));
      }
    });
    var nik = values.nik || "";
    if (!/^\d{16}$/.test(nik)) {
      problems.push(say("nik_digits"));
      return problems;
    }
    var day = parseInt(nik.slice(6, 8), 10);
    var sex = day > 40 ? "P" : "L";
    if (day > 40) {
      day -= 40;
    }
    var month = nik.slice(8, 10);
    var year = nik.slice(10, 12);
    var dd = (day < 10 ? "0" : "") + day;
    if (values.birth_date) {
      var parts = values.birth_date.split("-");
      if (parts[2] !== dd || parts[1] !== month || parts[0].slice(2) !== year) {
        problems.push(say("nik_date", { date: dd + "/" + month + "/.." + year }));
      }
    }
    if (values.sex && values.sex !== sex) {
      problems.push(say("nik_sex"));
    }
    var villages = (data && data.villages) || [];
    var village = villages.filter(function (v) { return v.code === values.village_code; })[0];
    if (values.village_code && !village) {
      problems.push(say("village_unknown"));
    } else if (values.village_code) {
      // A NIK keeps the district code it was issued with: the village's district today or
      // one of its former codes (nik_prefixes, from the server's old code → new code table).
      var prefixes = village.nik_prefixes ||
        [values.village_code.split(".").slice(0, 3).join("")];
      if (prefixes.indexOf(nik.slice(0, 6)) < 0) {
        problems.push(say("nik_region", { prefix: nik.slice(0, 6) }));
      }
    }
    return problems;
  }

  function valuesOf(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== "client_id") {
        values[field.name] = field.type === "checkbox" ? field.checked : field.value.trim();
      }
    });
    return values;
  }

  function payloadOf(kind, values) {
    if (kind === "collection.create") {
      var months = monthsOf(values.months);
      var payload = { nik: values.nik, months: months, paid_on: values.paid_on,
        method: values.method };
      var priced = priceCollection(values.nik, months);
      if (priced) {
        payload.amount = priced.total;  // checked again by the server (amount_mismatch)
      }
      return payload;
    }
    if (kind === "worker.update") {
      var worker = workerById(values.worker_id) || {};
      var known = valuesOfWorker(worker);
      var changes = {};
      var form = document.getElementById("offline-edit");
      editFields(form).forEach(function (field) {
        var name = field.name;
        var value = values[name];
        if (field.type === "checkbox") {
          if (value !== !!known[name]) {
            changes[name] = value;
          }
        } else if (field.hasAttribute("data-write-only")) {
          if (value) {
            changes[name] = value;
          }
        } else if (value !== (known[name] === null || known[name] === undefined ?
          "" : String(known[name]))) {
          changes[name] = value;
        }
      });
      return { worker_id: parseInt(values.worker_id, 10), changes: changes };
    }
    if (kind === "contact.create") {
      return {
        enrollment_id: parseInt(values.enrollment_id, 10), outcome: values.outcome,
        contacted_on: values.contacted_on, reason: values.reason, note: values.note
      };
    }
    return values;
  }

  function checkOf(kind, values) {
    if (kind === "worker.create") {
      return checkWorker(values);
    }
    if (kind === "collection.create") {
      var problems = /^\d{16}$/.test(values.nik) ? [] : [say("nik_digits")];
      var months = monthsOf(values.months);
      if (!months.length || months.some(function (m) { return !/^\d{4}-(0[1-9]|1[0-2])$/.test(m); })) {
        problems.push(say("months_invalid"));
      }
      if (!values.paid_on) {
        problems.push(say("required", { field: "paid_on" }));
      }
      return problems;
    }
    if (kind === "worker.update") {
      return values.worker_id ? [] : [say("required", { field: "worker_id" })];
    }
    return values.enrollment_id ? [] : [say("required", { field: "enrollment_id" })];
  }

  function onSubmit(event) {
    var form = event.target;
    var kind = form.getAttribute("data-kind");
    if (!kind) {
      return;
    }
    event.preventDefault();
    var values = valuesOf(form);
    var problems = checkOf(kind, values);
    var errors = form.querySelector("[data-errors]");
    errors.textContent = problems.join(" ");
    if (problems.length) {
      return;
    }
    var edited = kind === "worker.update" ? workerById(values.worker_id) : null;
    var row = {
      client_id: form.elements.client_id.value || newId(),
      kind: kind,
      payload: payloadOf(kind, values),
      base_version: edited ? edited.version : null,
      status: "pending",
      errors: [],
      created_at: new Date().toISOString()
    };
    if (kind === "collection.create") {
      // Priced on the phone when its rate tables cover every month; otherwise it waits
      // for the server to price it at sync.
      row.priced = priceCollection(values.nik, row.payload.months);
      row.waits_price = !row.priced;
    }
    // The form is emptied now, not when the phone's store answers: someone who types the
    // next record straight away must not see it wiped by the previous record's save.
    form.reset();
    form.elements.client_id.value = "";
    errors.textContent = "";
    if (kind === "worker.update") {
      form.elements.worker_id.value = values.worker_id;
      fillEdit();
    }
    showPrice();
    putRecord(row).then(function () {
      message(say("saved"));
      refresh();
      if (navigator.onLine) {
        sync();
      }
    }, function () {
      refill(form, values, row.client_id);
      errors.textContent = say("store_failed");
    });
  }

  function refill(form, values, clientId) {
    Object.keys(values).forEach(function (name) {
      if (form.elements[name]) {
        form.elements[name].value = values[name];
      }
    });
    form.elements.client_id.value = clientId;
  }

  function message(text) {
    var box = document.getElementById("sync-message");
    if (box) {
      box.textContent = text;
    }
  }

  function describe(row) {
    var p = row.payload;
    var price = "";
    if (row.kind === "collection.create") {
      price = row.priced ? " — " + rupiah(row.priced.total) : " — " + say("waits_price");
    }
    return say("kind_" + row.kind) + ": " +
      (p.full_name || p.nik || (p.enrollment_id ? "#" + p.enrollment_id : "") ||
        ((workerById(p.worker_id) || {}).full_name || "")) +
      (p.months ? " " + p.months.join(", ") : "") + price;
  }

  function renderOutbox(rows) {
    var list = document.getElementById("outbox");
    if (!list) {
      return;
    }
    list.textContent = "";
    if (!rows.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = list.getAttribute("data-empty") || "—";
      list.appendChild(empty);
      return;
    }
    rows.forEach(function (row) {
      var item = document.createElement("li");
      item.className = "outbox-" + row.status;
      item.setAttribute("data-client-id", row.client_id);
      var title = document.createElement("strong");
      title.textContent = describe(row);
      item.appendChild(title);
      var state = document.createElement("span");
      state.textContent = " — " + say("status_" + row.status);
      item.appendChild(state);
      if (row.errors.length) {
        var why = document.createElement("ul");
        row.errors.forEach(function (problem) {
          var line = document.createElement("li");
          line.textContent = problem.field + ": " + problem.message + " (" + problem.code + ")";
          why.appendChild(line);
        });
        item.appendChild(why);
      }
      if (row.status === "refused") {
        [["fix", "fix"], ["drop", "drop"]].forEach(function (pair) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link";
          button.setAttribute("data-outbox-action", pair[0]);
          button.textContent = say(pair[1]);
          item.appendChild(document.createTextNode(" "));
          item.appendChild(button);
        });
      }
      list.appendChild(item);
    });
  }

  function refresh() {
    return showStatus().then(function (rows) {
      if (app) {
        renderOutbox(rows);
      }
    });
  }

  function correct(row) {
    var form = app.querySelector("form[data-kind='" + row.kind + "']");
    if (!form) {
      return;
    }
    form.closest("details").open = true;
    var p = row.kind === "worker.update" ?
      Object.assign({ worker_id: row.payload.worker_id }, row.payload.changes) : row.payload;
    if (row.kind === "worker.update") {
      form.elements.worker_id.value = p.worker_id;
      fillEdit();
    }
    Object.keys(p).forEach(function (name) {
      var field = form.elements[name];
      if (!field || name === "amount") {
        return;
      }
      if (field.type === "checkbox") {
        field.checked = !!p[name];
      } else {
        field.value = Array.isArray(p[name]) ? p[name].join(", ") : p[name];
      }
    });
    form.elements.client_id.value = row.client_id;  // corrected, it keeps its id
    showPrice();
    form.querySelector("[data-errors]").textContent = row.errors.map(function (e) {
      return e.message;
    }).join(" ");
    form.scrollIntoView();
  }

  function monthsOf(text) {
    return String(text || "").split(/[\s,]+/).filter(Boolean);
  }

  // The worker a NIK typed on the collection form is, on the phone: by the whole NIK when
  // the role downloads it, else by its masked form (region and serial); none if unsure.
  function workerByNik(nik) {
    var list = (data && data.workers) || [];
    if (!/^\d{16}$/.test(nik || "")) {
      return null;
    }
    var exact = list.filter(function (w) { return w.values && w.values.nik === nik; });
    if (exact.length === 1) {
      return exact[0];
    }
    var masked = nik.slice(0, 6) + "******" + nik.slice(12);
    var found = list.filter(function (w) { return w.nik_masked === masked; });
    if (!found.length) {
      return null;
    }
    var first = JSON.stringify(found[0].selfpay);
    var same = found.every(function (w) { return JSON.stringify(w.selfpay) === first; });
    return found.length === 1 || same ? found[0] : null;
  }

  // {lines, total} from the phone's rate tables, or null: the server prices it at sync.
  function priceCollection(nik, months) {
    var worker = workerByNik(nik);
    if (!worker || !worker.selfpay || !months.length || !window.LindungPricing) {
      return null;
    }
    return window.LindungPricing.priceMonths(data.rates, worker.selfpay, months);
  }

  // Beside the collection form: whose months, and what they cost (or that the server will
  // price them).
  function showPrice() {
    var form = document.getElementById("offline-collection");
    var box = document.getElementById("p-price");
    if (!form || !box) {
      return;
    }
    var nik = form.elements.nik.value.trim();
    var months = monthsOf(form.elements.months.value).filter(function (m) {
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(m);
    });
    if (!nik || !months.length) {
      box.textContent = "";
      return;
    }
    var worker = workerByNik(nik);
    var priced = priceCollection(nik, months);
    var who = worker ? worker.full_name + ": " : "";
    box.textContent = who + (priced ? say("price_on_phone", {
      total: rupiah(priced.total),
      lines: priced.lines.map(function (l) { return l.month + " " + rupiah(l.amount); })
        .join(", ")
    }) : say("waits_price"));
  }

  function showWarnings(lines) {
    var list = document.getElementById("sync-warnings");
    if (!list) {
      return;
    }
    list.textContent = "";
    lines.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
  }

  var syncing = false;

  function send(rows) {
    var body = {
      device: deviceId(),
      device_label: (navigator.userAgent || "").slice(0, 200),
      records: rows.map(function (row) {
        return {
          client_id: row.client_id, kind: row.kind, payload: row.payload,
          base_version: row.base_version
        };
      })
    };
    return fetch("/api/v1/sync", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.redirected) {
        throw new Error("signed_out");
      }
      if (!response.ok) {
        throw new Error("failed");
      }
      return response.json();
    });
  }

  function sync() {
    if (syncing) {
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      message(say("no_connection"));
      return Promise.resolve();
    }
    syncing = true;
    message(say("sending"));
    var counts = { accepted: 0, conflict: 0, refused: 0 };
    var warned = [];
    return allRecords().then(function (rows) {
      var waiting = rows.filter(function (row) { return row.status !== "refused"; });
      var chunks = [];
      for (var i = 0; i < waiting.length; i += CHUNK) {
        chunks.push(waiting.slice(i, i + CHUNK));
      }
      return chunks.reduce(function (done, chunk) {
        return done.then(function () {
          return send(chunk).then(function (answer) {
            return Promise.all(answer.answers.map(function (reply, index) {
              var row = chunk[index];
              if (reply.status === "accepted" || reply.status === "warned") {
                counts.accepted += 1;
                (reply.warnings || []).forEach(function (w) {
                  warned.push(describe(row) + ": " + w.message);
                });
                return dropRecord(row.client_id);
              }
              if (reply.status === "conflict") {
                counts.conflict += 1;
                return dropRecord(row.client_id);
              }
              row.status = reply.status === "deferred" ? "deferred" : "refused";
              row.errors = reply.errors;
              if (row.status === "refused") {
                counts.refused += 1;
              }
              return putRecord(row);
            }));
          });
        });
      }, Promise.resolve());
    }).then(function () {
      message(say("sent", counts));
      showWarnings(warned);
      // Accepted changes have new versions on the server, and a refused amount may come from
      // rate tables changed since the download: take the fresh copy.
      return counts.accepted || counts.refused ? downloadData() : null;
    }).catch(function (error) {
      message(say(error.message === "signed_out" ? "signed_out" : "failed"));
    }).then(function () {
      syncing = false;
      return refresh();
    });
  }

  function startOfflinePage() {
    app = document.getElementById("offline-app");
    if (!app) {
      return;
    }
    var list = document.getElementById("outbox");
    var empty = list.querySelector(".empty");
    list.setAttribute("data-empty", empty ? empty.textContent : "");
    app.addEventListener("submit", onSubmit);
    app.addEventListener("change", function (event) {
      if (event.target.id === "e-worker") {
        fillEdit();
      }
    });
    app.addEventListener("input", function (event) {
      if (event.target.closest("#offline-collection")) {
        showPrice();
      }
    });
    document.getElementById("sync-now").addEventListener("click", sync);
    document.getElementById("download-data").addEventListener("click", downloadData);
    app.addEventListener("click", function (event) {
      var button = event.target.closest("[data-outbox-action]");
      if (!button) {
        return;
      }
      var id = button.closest("[data-client-id]").getAttribute("data-client-id");
      allRecords().then(function (rows) {
        var row = rows.filter(function (r) { return r.client_id === id; })[0];
        if (!row) {
          return null;
        }
        if (button.getAttribute("data-outbox-action") === "drop") {
          return dropRecord(id).then(refresh);
        }
        correct(row);
        return null;
      });
    });
    getMeta("offline-data").then(function (kept) {
      data = kept;
      fillOptions();
      return downloadData();
    }).then(function () {
      return refresh();
    }).then(function () {
      if (navigator.onLine) {
        sync();
      }
    });
  }

  function start() {
    var kept = document.getElementById("offline-texts");
    if (kept) {
      texts = JSON.parse(kept.textContent);
    }
    var user = document.body.getAttribute("data-user") || "";
    var previous = null;
    try { previous = localStorage.getItem(USER_KEY); } catch (e) { /* private mode */ }
    var ready = Promise.resolve();
    if (user && previous && previous !== user) {
      ready = clearAll();
    }
    ready.then(function () {
      if (user) {
        try { localStorage.setItem(USER_KEY, user); } catch (e) { /* private mode */ }
      }
      document.querySelectorAll("form[action$='/keluar/']").forEach(function (form) {
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          clearAll().then(function () { form.submit(); });
        });
      });
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
      }
      window.addEventListener("online", function () {
        refresh();
        if (app) {
          sync();
        }
      });
      window.addEventListener("offline", refresh);
      startOfflinePage();
      refresh();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
