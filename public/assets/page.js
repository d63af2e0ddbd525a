// What every page needs from JavaScript, kept small because the sign-in and
// fleet pages download it too: times in the browser's zone and language, and
// the door to the charts. charts.js (and through it ECharts) is fetched on the
// first chart a page draws, so pages without charts never download either.
// The addresses are this script's `data-charts` and `data-echarts` attributes
// (crates/app/src/lib.rs).
(function () {
  "use strict";

  var me = document.currentScript;
  var attr = function (name, fallback) { return (me && me.getAttribute(name)) || fallback; };

  // A page's wasm chunks in one download. The server names the file in a
  // preload link (app::routes::preload_chunks, written by
  // scripts/bundle-chunks.mjs); the split loader fetches each chunk_N.wasm on
  // its own, and those fetches are answered from the file. Anything not in it,
  // or a file that fails, goes to the network as before.
  (function () {
    var link = document.querySelector('link[rel="preload"][href$=".chunks.bin"]');
    if (!link || !window.fetch || !window.Response) return;
    var network = window.fetch.bind(window);
    var chunk = /\/(chunk_\d+|split_[\w]+)\.wasm$/;
    var bundle = null;
    function chunks() {
      if (!bundle) {
        bundle = network(link.href, { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.arrayBuffer(); })
          .then(function (buf) {
            var n = new DataView(buf).getUint32(0, true);
            var index = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, n)));
            var at = 4 + n, byName = {};
            index.forEach(function (e) { byName[e[0]] = buf.slice(at, at + e[1]); at += e[1]; });
            return byName;
          })
          .catch(function () { return {}; });
      }
      return bundle;
    }
    window.fetch = function (input, init) {
      var url = input instanceof URL ? input.href : typeof input === "string" ? input : null;
      var m = url && chunk.exec(url.split(/[?#]/)[0]);
      if (!m) return network(input, init);
      return chunks().then(function (byName) {
        var body = byName[m[1]];
        if (!body) return network(input, init);
        return new Response(body, { status: 200, headers: { "Content-Type": "application/wasm" } });
      });
    };
  })();

  var timeFormat = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
  });
  // Chinese pages write 2026/11/29 10:00:00 (the zone is named once, above).
  var formats = {
    "zh-CN": new Intl.DateTimeFormat("zh-CN", {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
    }),
  };
  var LOCAL_TIME = { en: "local time", "zh-CN": "本地时间" };

  function formatTime(ms, lang) {
    return (formats[lang] || timeFormat).format(new Date(ms));
  }

  function timeZone() {
    var part = timeFormat.formatToParts(new Date()).find(function (p) { return p.type === "timeZoneName"; });
    var name = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (part) return name ? name + " (" + part.value + ")" : part.value;
    var lang = document.documentElement.getAttribute("lang") || "en";
    return name || LOCAL_TIME[lang] || LOCAL_TIME.en;
  }

  // The times (<time datetime>) in HTML the server rendered and a page
  // inserted as it came (an element marked `data-local-times`), written like
  // app::time::LocalTime writes them: on arrival and whenever the HTML is new.
  function localizeTimes(root) {
    var lang = document.documentElement.getAttribute("lang") || "en";
    root.querySelectorAll("[data-local-times] time[datetime]").forEach(function (t) {
      var ms = Date.parse(t.getAttribute("datetime"));
      var text = isNaN(ms) ? null : formatTime(ms, lang);
      if (text && t.textContent !== text) t.textContent = text;
    });
  }

  // Charts asked for before charts.js has arrived wait here; charts.js
  // replaces `render` and draws them.
  var waiting = [];
  var requested = false;
  function render() {
    waiting.push(Array.prototype.slice.call(arguments));
    if (requested) return;
    requested = true;
    var s = document.createElement("script");
    s.src = attr("data-charts", "/assets/charts.js");
    s.async = true;
    s.onerror = function () { requested = false; }; // the next chart tries again
    document.head.appendChild(s);
  }

  // Delete asks first, in the row (the fleet table the server renders,
  // marked `data-delete-questions`): a row's Delete shows its question with
  // the keyboard on Cancel, Cancel puts Edit and Delete back. The question's
  // own button is the page's (app::fleet), which deletes.
  function ask(cell, asking) {
    var buttons = cell.querySelector(".row-actions");
    var question = cell.querySelector(".confirm");
    if (!buttons || !question) return;
    buttons.hidden = asking;
    question.hidden = !asking;
    var focus = cell.querySelector(asking ? "[data-cancel-delete]" : "[data-delete]");
    if (focus) focus.focus();
  }
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("[data-delete], [data-cancel-delete]");
    var host = b && b.closest("[data-delete-questions]");
    var cell = b && b.closest("td.actions");
    if (!host || !cell) return;
    var asking = b.hasAttribute("data-delete");
    // One question at a time.
    if (asking) {
      host.querySelectorAll(".confirm:not([hidden])").forEach(function (q) {
        var other = q.closest("td.actions");
        if (other && other !== cell) ask(other, false);
      });
    }
    ask(cell, asking);
  });

  // A channel form (the Alerts page) shows the fields of the service
  // chosen; the server ignores the others.
  document.addEventListener("change", function (e) {
    var s = e.target;
    var form = s && s.name === "kind" && s.closest && s.closest('form[data-form="channel"]');
    if (!form) return;
    form.querySelectorAll("fieldset[data-kinds]").forEach(function (f) {
      f.hidden = f.getAttribute("data-kinds").split(" ").indexOf(s.value) < 0;
    });
  });

  // Tables the server renders marked `data-sortable` (the routine load jobs):
  // a header's button sorts the rows by its column, again the other way.
  // A cell's `data-value` is its number; other cells sort by their text.
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("button[data-sort-col]");
    var table = b && b.closest("table[data-sortable]");
    var body = table && table.tBodies[0];
    if (!body) return;
    var col = Number(b.getAttribute("data-sort-col"));
    var th = b.closest("th");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var key = function (row) {
      var cell = row.cells[col];
      if (!cell) return "";
      var v = cell.getAttribute("data-value");
      return v !== null && v !== "" && !isNaN(Number(v)) ? Number(v) : cell.textContent.trim().toLowerCase();
    };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = key(x), c = key(y);
      var o = typeof a === "number" && typeof c === "number" ? a - c : String(a).localeCompare(String(c));
      return asc ? o : -o;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });

  // A statement's Copy button (the Queries page): the statement beside it to
  // the clipboard, and the button says so.
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("button[data-copy]");
    var pre = b && b.parentElement && b.parentElement.querySelector("pre");
    if (!pre || !navigator.clipboard) return;
    navigator.clipboard.writeText(pre.textContent).then(function () {
      b.textContent = b.getAttribute("data-copied") || b.textContent;
    });
  });

  // Each chart canvas (app::charts::ChartPanel) carries what to draw in its
  // `data-` attributes; it is drawn once the page is hydrated (so that
  // neither charts.js nor ECharts takes bandwidth from the wasm), and again
  // when its data changes.
  var drawn = new WeakMap(); // canvas -> the series it was drawn with
  function drawCharts(root) {
    root.querySelectorAll(".chart-canvas[data-series]").forEach(function (el) {
      var series = el.getAttribute("data-series");
      if (drawn.get(el) === series) return;
      drawn.set(el, series);
      window.srCharts.render(el, el.getAttribute("data-option"), series,
        Number(el.getAttribute("data-from")), Number(el.getAttribute("data-to")),
        el.getAttribute("data-unit") || "");
    });
  }
  function hydrated() { return document.documentElement.hasAttribute("data-hydrated"); }

  // Watching the document keeps the wasm free of both: no calls from Rust.
  function sweep() {
    localizeTimes(document);
    if (hydrated()) drawCharts(document);
  }
  var queued = false;
  function later() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; sweep(); });
  }
  localizeTimes(document);
  if (window.MutationObserver) {
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        var c = changes[i];
        // Not the times this script writes, nor the charts' own drawing.
        if (c.type === "childList" && c.target.nodeName === "TIME") continue;
        if (c.target.closest && c.target.closest(".chart-canvas") && c.type === "childList") continue;
        later();
        return;
      }
    }).observe(document.documentElement, {
      childList: true, subtree: true,
      attributes: true, attributeFilter: ["data-hydrated", "data-series", "lang"],
    });
  }

  window.srCharts = {
    render: render,
    formatTime: formatTime,
    timeZone: timeZone,
    echartsUrl: attr("data-echarts", "/assets/vendor/echarts/echarts.min.js"),
    waiting: function () { var w = waiting; waiting = []; return w; },
  };
})();
