// The charts: draws an ECharts option (built on the server) with the series
// values the page already holds, keeps every chart's crosshair in step, and
// turns a box drawn on a chart, or a click on the zoom buttons, into a
// "chart-zoom" event the page answers by changing the range in the URL.
//
// page.js fetches this script on the first chart a page draws; this script
// fetches ECharts (page.js names its address) and draws the charts that
// waited. The page shows each chart as an SVG sparkline until then.
(function () {
  "use strict";

  var live = new Map(); // element -> the arguments of its last render
  var page = window.srCharts || {};
  var ECHARTS = page.echartsUrl || "/assets/vendor/echarts/echarts.min.js";

  // The page's language (<html lang>, which follows the language switch):
  // the locale of ECharts' own words.
  var WORDS = {
    en: { echarts: "EN" },
    "zh-CN": { echarts: "ZH" },
  };
  function words() {
    var lang = document.documentElement.getAttribute("lang") || "en";
    return WORDS[lang] || (lang.indexOf("zh") === 0 ? WORDS["zh-CN"] : WORDS.en);
  }

  var loading = null;
  /** ECharts, loaded once; the promise fails when it cannot be fetched. */
  function load() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = ECHARTS;
        s.async = true;
        s.onload = function () { resolve(window.echarts); };
        s.onerror = function () {
          loading = null; // a later chart tries again
          reject(new Error("ECharts did not load"));
        };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function dark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  // The series colours are the page's (style/main.css), so the swatches of
  // the list under each chart match its lines in both themes.
  function palette() {
    var css = getComputedStyle(document.documentElement);
    var colours = [];
    for (var i = 0; i < 3; i++) {
      var c = css.getPropertyValue("--chart-" + i).trim();
      if (c) colours.push(c);
    }
    return colours.length ? colours : ["#5470c6", "#91cc75", "#fac858"];
  }

  // The colour behind the chart (it is drawn transparent): threshold labels
  // sit on it, so that a line passing behind them does not cross their words.
  function backdrop(el) {
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var c = getComputedStyle(e).backgroundColor;
      if (c && c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return dark() ? "#171b21" : "#ffffff";
  }

  function formatValue(v, unit, noData) {
    if (v === null || v === undefined || Number.isNaN(v)) return noData;
    var abs = Math.abs(v);
    var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    var text = v.toLocaleString("en-US", { maximumFractionDigits: digits });
    return unit ? text + " " + unit : text;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above v.
  function niceTop(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v - 1e-12) return steps[i] * p;
    return 10 * p;
  }

  // Charts whose element left the page (a new range re-renders them) are let go.
  function sweep() {
    live.forEach(function (_, el) {
      if (!el.isConnected) {
        var chart = window.echarts && window.echarts.getInstanceByDom(el);
        if (chart) chart.dispose();
        if (resizer) resizer.unobserve(el);
        live.delete(el);
      }
    });
  }

  function zoomTo(from, to) {
    window.dispatchEvent(new CustomEvent("chart-zoom", { detail: from + "," + to }));
  }

  // The series as ECharts lines. A counter's rate in a bucket the window's
  // end cuts is an estimate from the collections made so far: its segment
  // is drawn dashed (a line of its own, after every other, so the tooltip
  // lists the whole-bucket value first) rather than as part of the line.
  function lines(option, series, args, colours, behind) {
    var dashed = [];
    var out = (option.series || []).map(function (s, i) {
      if (s.markLine && s.markLine.label) {
        s.markLine.label.backgroundColor = behind;
        s.markLine.label.padding = [1, 3];
      }
      var d = series.find(function (x) { return x.key === s.id; });
      // A line the definition cannot name (a resource group, by rank) takes
      // the name its series carries.
      if (!s.name && d && d.label) s.name = d.label;
      var data = d
        ? d.values.map(function (v, j) { return [d.start + j * d.step_ms, v]; })
        : [];
      s.color = colours[i % colours.length];
      // Few points, or points between gaps, are invisible as bare lines: mark them.
      var known = data.filter(function (p) { return p[1] !== null; }).length;
      if (known < 60) { s.showSymbol = true; s.symbolSize = 4; }
      var n = data.length;
      var cut = d && d.aggregate === "rate" && n > 0 && d.start + n * d.step_ms > args.to;
      if (cut && data[n - 1][1] !== null) {
        var tail = [data[n - 1]];
        if (n > 1 && data[n - 2][1] !== null) tail.unshift({ value: data[n - 2], symbol: "none" });
        dashed.push({
          type: "line", id: s.id + "~", name: s.name, color: s.color, data: tail,
          lineStyle: { type: "dashed" }, showSymbol: true, symbol: "emptyCircle", symbolSize: 5,
          connectNulls: false, silent: true,
        });
        data = data.slice(0, n - 1);
      }
      s.data = data;
      return s;
    });
    return out.concat(dashed);
  }

  function tooltip(args, sr) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) return "";
      var seen = {};
      var rows = [];
      list.forEach(function (p) {
        var partial = /~$/.test(p.seriesId);
        var id = p.seriesId.replace(/~$/, "");
        if (seen[id]) return;
        seen[id] = true;
        var v = Array.isArray(p.value) ? p.value[1] : p.value;
        rows.push(
          p.marker + escapeHtml(p.seriesName) + "&nbsp;&nbsp;<b>" +
            escapeHtml(formatValue(v, args.unit, sr.noData)) + "</b>" +
            (partial ? " (" + escapeHtml(sr.soFar) + ")" : "")
        );
      });
      return escapeHtml(list[0].axisValueLabel) + "<br>" + rows.join("<br>");
    };
  }

  // The crosshair every chart shares: where the pointer is on one chart,
  // the others point at the same time, as if the pointer were on them (each
  // then snaps to its own data). ECharts' own `connect` also opens every
  // chart's tooltip, and at a time where the first line of the chart under
  // the pointer has no value (a gap) it hides the others' crosshair.
  var syncing = false;
  function crosshair(source) {
    return function (e) {
      if (syncing) return;
      var x = (e.axesInfo || []).filter(function (a) { return a.axisDim === "x"; })[0];
      syncing = true;
      try {
        live.forEach(function (_, el) {
          var chart = el !== source && el.isConnected && window.echarts.getInstanceByDom(el);
          if (!chart) return;
          if (!x) {
            chart.dispatchAction({ type: "updateAxisPointer", currTrigger: "leave" });
            return;
          }
          var ends = chart.getModel().getComponent("yAxis").axis.getGlobalExtent();
          chart.dispatchAction({
            type: "updateAxisPointer",
            currTrigger: "mousemove",
            x: chart.convertToPixel({ xAxisIndex: 0 }, x.value),
            y: (ends[0] + ends[1]) / 2,
          });
        });
      } finally {
        syncing = false;
      }
    };
  }

  function draw(el, args) {
    var echarts = window.echarts;
    var existing = echarts.getInstanceByDom(el);
    if (existing) existing.dispose();
    var chart = echarts.init(el, dark() ? "dark" : null, { renderer: "canvas", locale: words().echarts });
    var option = JSON.parse(args.option);
    var series = JSON.parse(args.series);
    var sr = option.sr || {};
    delete option.sr;
    var colours = palette();
    option.backgroundColor = "transparent";
    option.color = colours;
    option.xAxis.min = args.from;
    option.xAxis.max = args.to;
    option.yAxis.name = args.unit;
    if (sr.minTop > 0) {
      // Scaled to the data, with a floor: 0.5 % is half the axis, not a flat line.
      option.yAxis.max = function (v) { return Math.min(100, niceTop(Math.max(v.max * 1.05, sr.minTop))); };
    }
    option.tooltip.formatter = tooltip(args, sr);
    option.series = lines(option, series, args, colours, backdrop(el));
    chart.setOption(option, true);
    chart.on("updateAxisPointer", crosshair(el));
    var figure = el.closest("figure");
    if (figure) figure.classList.add("drawn");
  }

  var resizer = window.ResizeObserver
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (e) {
          var chart = window.echarts && window.echarts.getInstanceByDom(e.target);
          if (chart) chart.resize();
        });
      })
    : null;

  function drawLive(el, args) {
    sweep();
    draw(el, args);
    if (!live.has(el)) {
      if (resizer) resizer.observe(el);
      boxZoom(el);
    }
    live.set(el, args);
  }

  // A page re-rendered in the background attaches its elements a moment
  // later: draw once the element is in the document.
  function whenConnected(el, args, tries) {
    requestAnimationFrame(function () {
      if (el.isConnected) drawLive(el, args);
      else if (tries < 60) whenConnected(el, args, tries + 1);
    });
  }

  /** Draws (or redraws) the chart in `el` once ECharts is loaded; marks its figure `drawn`. */
  function render(el, option, series, from, to, unit) {
    var args = { option: option, series: series, from: from, to: to, unit: unit };
    load().then(
      function () {
        if (el.isConnected) drawLive(el, args);
        else whenConnected(el, args, 0);
      },
      function () {} // the sparkline stays
    );
  }

  // Box zoom: a mode the "Select a range" button toggles, so that without
  // it a drag over a chart (a finger's swipe) scrolls the page. The box is
  // the page's own element, drawn over the plot between the pointer's start
  // and end; its time range becomes the page's range.
  var boxMode = false;
  function setBoxMode(on) {
    boxMode = on;
    document.documentElement.classList.toggle("chart-box-zoom", on);
    document.querySelectorAll('[data-zoom="box"]').forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function boxZoom(el) {
    var drag = null;
    function x(e) { return e.clientX - el.getBoundingClientRect().left; }
    function paint() {
      var a = Math.min(drag.x0, drag.x1);
      drag.box.style.left = a + "px";
      drag.box.style.width = Math.abs(drag.x1 - drag.x0) + "px";
    }
    function stop() {
      if (!drag) return null;
      var d = drag;
      drag = null;
      d.box.remove();
      return d;
    }
    el.addEventListener("pointerdown", function (e) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      var args = live.get(el);
      if (!boxMode || !chart || !args || (e.pointerType === "mouse" && e.button !== 0)) return;
      var left = chart.convertToPixel({ xAxisIndex: 0 }, args.from);
      var right = chart.convertToPixel({ xAxisIndex: 0 }, args.to);
      var at = x(e);
      if (!(at >= left && at <= right)) return;
      var box = document.createElement("div");
      box.className = "chart-box";
      // As tall as the plot: its top and bottom are the y axis' ends.
      var ends = chart.getModel().getComponent("yAxis").axis.getGlobalExtent();
      box.style.top = Math.min(ends[0], ends[1]) + "px";
      box.style.height = Math.abs(ends[1] - ends[0]) + "px";
      el.appendChild(box);
      drag = { x0: at, x1: at, left: left, right: right, box: box, chart: chart };
      el.setPointerCapture(e.pointerId);
      paint();
      e.preventDefault();
    });
    el.addEventListener("pointermove", function (e) {
      if (!drag) return;
      drag.x1 = Math.min(drag.right, Math.max(drag.left, x(e)));
      paint();
    });
    el.addEventListener("pointerup", function () {
      var d = stop();
      if (!d) return;
      var from = d.chart.convertFromPixel({ xAxisIndex: 0 }, Math.min(d.x0, d.x1));
      var to = d.chart.convertFromPixel({ xAxisIndex: 0 }, Math.max(d.x0, d.x1));
      if (to - from < 60000) return; // a click, not a box
      setBoxMode(false);
      zoomTo(Math.floor(from), Math.ceil(to));
    });
    el.addEventListener("pointercancel", stop);
  }

  // The zoom buttons (app::charts::ZoomBar) carry their range; "Select a
  // range" toggles the box mode; Escape leaves it.
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("[data-zoom]");
    if (!b || b.disabled) return;
    var what = b.getAttribute("data-zoom");
    if (what === "box") {
      setBoxMode(!boxMode);
      return;
    }
    var range = (b.getAttribute("data-range") || "").split(",").map(Number);
    if (range.length === 2 && range[1] > range[0]) zoomTo(range[0], range[1]);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && boxMode) setBoxMode(false);
  });
  // A page drawn anew (another range) starts without the box mode.
  window.addEventListener("chart-zoom", function () { setBoxMode(false); });

  // A change between light and dark redraws every chart in the new theme.
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    var redraw = function () {
      sweep();
      live.forEach(function (args, el) { draw(el, args); });
    };
    if (scheme.addEventListener) scheme.addEventListener("change", redraw);
  }

  page.render = render;
  page.load = load;
  window.srCharts = page;
  if (page.waiting) {
    page.waiting().forEach(function (args) { render.apply(null, args); });
  }
})();
