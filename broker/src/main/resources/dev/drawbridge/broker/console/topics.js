// Drawbridge console, topics page: the retained tree one level at a time from /api/topics, a prefix search, and the
// live view polled from /api/live. Text is set with textContent, never parsed as HTML.
"use strict";

(function () {
  if (document.body.dataset.page !== "topics") return;
  const csrf = document.body.dataset.csrf || "";
  const $ = function (id) { return document.getElementById(id); };

  function call(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}))
      .then(function (r) {
        if (r.status === 401) {
          window.location.assign("/login");
          throw new Error("logged out");
        }
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      });
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function problem(id, message) {
    const p = $(id);
    p.textContent = message || "";
    p.hidden = !message;
  }

  // A message's payload preview (text or hex), QoS, size and MQTT 5 properties.
  function describe(li, m) {
    const payload = el("span", m.text ? "msg" : "msg hex", (m.text ? m.preview : "hex " + m.preview) + (m.cut ? " …" : ""));
    li.appendChild(payload);
    li.appendChild(el("span", "meta", "QoS " + m.qos + ", " + m.size + " B"));
    if (m.properties.length) {
      li.appendChild(el("span", "props", m.properties.map(function (p) { return p[0] + ": " + p[1]; }).join("; ")));
    }
  }

  // ---- the retained tree ----
  function level(path, list) {
    return call("/api/topics?path=" + encodeURIComponent(path)).then(function (res) {
      if (!res.ok) { problem("prefix-error", res.body.error); return; }
      const data = res.body;
      if (path === "") $("tree-total").textContent = data.total + (data.total === 1 ? " retained message" : " retained messages") + " you may read";
      const items = document.createDocumentFragment();
      data.children.forEach(function (c) {
        const li = el("li");
        li.dataset.topic = c.topic;
        const node = el("button", "node", (c.children ? "▸ " : "· ") + (c.level === "" ? "(empty level)" : c.level));
        node.type = "button";
        li.appendChild(node);
        li.appendChild(el("span", "count", "(" + c.count + ")"));
        if (c.message) describe(li, c.message);
        if (c.children) {
          const sub = el("ul", "tree");
          sub.hidden = true;
          li.appendChild(sub);
          node.addEventListener("click", function () {
            if (sub.hidden && !sub.dataset.loaded) { sub.dataset.loaded = "1"; level(c.topic, sub); }
            sub.hidden = !sub.hidden;
            node.textContent = (sub.hidden ? "▸ " : "▾ ") + (c.level === "" ? "(empty level)" : c.level);
          });
        }
        items.appendChild(li);
      });
      if (data.more > 0) items.appendChild(el("li", "meta", data.more + " more: type a prefix to narrow them down"));
      list.replaceChildren(items);
    }).catch(function () {});
  }

  function find(prefix) {
    call("/api/topics?prefix=" + encodeURIComponent(prefix)).then(function (res) {
      if (!res.ok) { problem("prefix-error", res.body.error); return; }
      problem("prefix-error", "");
      const data = res.body;
      const list = $("found");
      const items = document.createDocumentFragment();
      data.topics.forEach(function (t) {
        const li = el("li");
        li.dataset.topic = t.topic;
        li.appendChild(el("b", "", t.topic));
        describe(li, t.message);
        items.appendChild(li);
      });
      list.replaceChildren(items);
      $("tree-total").textContent = data.total + (data.total === 1 ? " topic starts" : " topics start") + " with " + data.prefix +
        (data.total > data.topics.length ? " (the first " + data.topics.length + " shown)" : "");
      $("tree").hidden = true;
      list.hidden = false;
    }).catch(function () {});
  }

  $("prefix-form").addEventListener("submit", function (e) {
    e.preventDefault();
    const prefix = $("prefix").value;
    if (prefix === "") { showTree(); return; }
    find(prefix);
  });

  function showTree() {
    problem("prefix-error", "");
    $("found").hidden = true;
    $("tree").hidden = false;
    level("", $("tree"));
  }
  $("prefix-clear").addEventListener("click", function () { $("prefix").value = ""; showTree(); });

  // ---- the live view ----
  const MAX_ROWS = 200;
  let after = 0;
  let timer = null;

  function form(fields) {
    return Object.keys(fields).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(fields[k]);
    }).join("&");
  }

  function post(url, fields) {
    return call(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form(Object.assign({ csrf: csrf }, fields))
    });
  }

  function poll() {
    call("/api/live?after=" + after).then(function (res) {
      const data = res.body;
      const state = { none: "Not watching.", subscribing: "Subscribing to ", live: "Watching ",
        refused: "Refused by the broker's rules: ", ended: "Ended: " }[data.state] || data.state;
      $("live-state").textContent = data.state === "none" ? state : state + data.filter;
      $("live-dropped").textContent = data.dropped ? data.dropped + " not shown (the page fell behind)" : "";
      const body = document.querySelector("#live tbody");
      data.messages.forEach(function (m) {
        after = Math.max(after, m.seq);
        const tr = el("tr");
        tr.appendChild(el("td", "", m.time));
        tr.appendChild(el("td", "id", m.topic));
        tr.appendChild(el("td", "", m.size + " B"));
        const td = el("td", m.text ? "payload" : "payload hex", (m.text ? m.preview : "hex " + m.preview) + (m.cut ? " …" : ""));
        if (m.properties.length) td.title = m.properties.map(function (p) { return p[0] + ": " + p[1]; }).join("\n");
        tr.appendChild(td);
        body.insertBefore(tr, body.firstChild);
      });
      while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
      if (data.state === "none" || data.state === "ended") stopPolling();
    }).catch(function () {});
  }

  function stopPolling() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  $("live-form").addEventListener("submit", function (e) {
    e.preventDefault();
    post("/api/live", { filter: $("filter").value }).then(function (res) {
      if (!res.ok) { problem("live-error", res.body.error); return; }
      problem("live-error", "");
      after = 0;
      document.querySelector("#live tbody").replaceChildren();
      stopPolling();
      poll();
      timer = window.setInterval(poll, 1000);
    }).catch(function () {});
  });

  $("live-stop").addEventListener("click", function () {
    post("/api/live/stop", {}).then(function () { stopPolling(); poll(); }).catch(function () {});
  });

  showTree();
  poll();
})();
