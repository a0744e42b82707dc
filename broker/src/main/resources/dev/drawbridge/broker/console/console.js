// Drawbridge console: refreshes what the server rendered, from the console's own JSON. No library, no inline script
// (the Content-Security-Policy forbids it); text is set with textContent, never parsed as HTML.
"use strict";

(function () {
  const page = document.body.dataset.page;
  const csrf = document.body.dataset.csrf || "";

  function get(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401) {
        window.location.assign("/login");
        throw new Error("logged out");
      }
      return r.json();
    });
  }

  function every(ms, task) {
    task();
    window.setInterval(task, ms);
  }

  function text(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function query() {
    const q = document.getElementById("q");
    return q ? q.value.trim() : "";
  }

  // ---- overview: two small charts of messages per second, drawn as SVG ----
  const SVG = "http://www.w3.org/2000/svg";
  const POINTS = 60;
  const history = { in: [], out: [] };
  let last = null;

  function draw(id, values) {
    const svg = document.getElementById(id);
    if (!svg) return;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const w = 300, h = 80, top = 10;
    const max = Math.max(1, Math.max.apply(null, values.concat([0])));
    const base = document.createElementNS(SVG, "line");
    base.setAttribute("x1", "0"); base.setAttribute("x2", String(w));
    base.setAttribute("y1", String(h - 1)); base.setAttribute("y2", String(h - 1));
    svg.appendChild(base);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "2"); label.setAttribute("y", "9");
    label.textContent = "max " + max.toFixed(max < 10 ? 1 : 0) + "/s";
    svg.appendChild(label);
    if (values.length < 2) return;
    const step = w / (POINTS - 1);
    const start = w - step * (values.length - 1);
    const pts = values.map(function (v, i) {
      return (start + i * step).toFixed(1) + "," + (h - 1 - (v / max) * (h - top - 1)).toFixed(1);
    });
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", pts.join(" "));
    svg.appendChild(line);
  }

  function overview() {
    get("/api/overview").then(function (f) {
      ["uptime", "clients", "sessions", "subscriptions", "retained", "store"].forEach(function (k) {
        text(k, String(f[k]));
      });
      if (last) {
        const seconds = Math.max(0.001, (f.at - last.at) / 1000);
        const rin = Math.max(0, (f.received - last.received) / seconds);
        const rout = Math.max(0, (f.sent - last.sent) / seconds);
        history.in.push(rin); history.out.push(rout);
        if (history.in.length > POINTS) { history.in.shift(); history.out.shift(); }
        text("rate-in", rin.toFixed(1));
        text("rate-out", rout.toFixed(1));
      }
      last = f;
      draw("chart-in", history.in);
      draw("chart-out", history.out);
    }).catch(function () {});
  }

  // ---- clients: the live list ----
  function cell(tr, value, cls) {
    const td = document.createElement("td");
    td.textContent = value;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function disconnectForm(id) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/clients/disconnect";
    [["csrf", csrf], ["client_id", id]].forEach(function (p) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = p[0]; input.value = p[1];
      form.appendChild(input);
    });
    const button = document.createElement("button");
    button.type = "submit"; button.className = "danger"; button.textContent = "Disconnect";
    form.appendChild(button);
    return form;
  }

  function clients() {
    get("/api/clients?q=" + encodeURIComponent(query())).then(function (data) {
      const body = document.querySelector("#clients tbody");
      if (!body) return;
      const rows = document.createDocumentFragment();
      data.clients.forEach(function (c) {
        const tr = document.createElement("tr");
        cell(tr, c.id, "id"); cell(tr, c.name); cell(tr, c.address); cell(tr, c.listener);
        cell(tr, c.protocol); cell(tr, c.since); cell(tr, String(c.subscriptions)); cell(tr, String(c.queued));
        const td = document.createElement("td");
        td.appendChild(disconnectForm(c.id));
        tr.appendChild(td);
        rows.appendChild(tr);
      });
      body.replaceChildren(rows);
      text("count", data.clients.length + (data.clients.length === 1 ? " client" : " clients"));
    }).catch(function () {});
  }

  // ---- log: the recent lines ----
  function log() {
    get("/api/log?q=" + encodeURIComponent(query())).then(function (data) {
      const list = document.getElementById("log");
      if (!list) return;
      const items = document.createDocumentFragment();
      data.lines.forEach(function (l) {
        const li = document.createElement("li");
        li.className = l.level.toLowerCase();
        const time = document.createElement("time"); time.textContent = l.time;
        const level = document.createElement("b"); level.textContent = l.level;
        const logger = document.createElement("i"); logger.textContent = l.logger;
        li.append(time, " ", level, " ", logger, " ", l.message);
        items.appendChild(li);
      });
      list.replaceChildren(items);
    }).catch(function () {});
  }

  if (page === "overview") every(2000, overview);
  if (page === "clients") every(2000, clients);
  if (page === "log") every(3000, log);
})();
