// The overview's charts: draws an ECharts option (built on the server) with the
// series values the page already holds, keeps every chart's crosshair in step,
// and turns a box zoom into a "chart-zoom" event the page answers by changing
// the range in the URL. Also formats times in the browser's time zone.
(function () {
  "use strict";

  var GROUP = "overview";
  var live = new Map(); // element -> the arguments of its last render

  // The page's language (<html lang>, which follows the language switch):
  // the few words this script writes itself, and ECharts' own (toolbox tips).
  var WORDS = {
    en: { noData: "no data", localTime: "local time", echarts: "EN" },
    "zh-CN": { noData: "无数据", localTime: "本地时间", echarts: "ZH" },
  };
  function words() {
    var lang = document.documentElement.getAttribute("lang") || "en";
    return WORDS[lang] || (lang.indexOf("zh") === 0 ? WORDS["zh-CN"] : WORDS.en);
  }

  function dark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function formatValue(v, unit) {
    if (v === null || v === undefined || Number.isNaN(v)) return words().noData;
    var abs = Math.abs(v);
    var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    var text = v.toLocaleString("en-US", { maximumFractionDigits: digits });
    return unit ? text + " " + unit : text;
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

  // The zoomed x range: from the action's own values, else from its percentages
  // of the window the chart shows.
  function zoomedRange(params, args) {
    var b = params && params.batch ? params.batch[0] : params;
    if (!b) return null;
    if (b.startValue !== undefined && b.endValue !== undefined) {
      return [Math.floor(b.startValue), Math.ceil(b.endValue)];
    }
    if (b.start !== undefined && b.end !== undefined) {
      var span = args.to - args.from;
      return [Math.floor(args.from + span * b.start / 100), Math.ceil(args.from + span * b.end / 100)];
    }
    return null;
  }

  var zoomTimer = null;
  function onZoom(args) {
    return function (params) {
      // Connected charts repeat the zoom: answer it once.
      if (zoomTimer) return;
      var range = zoomedRange(params, args);
      if (!range || range[1] - range[0] < 60000) return; // a click, not a box
      zoomTimer = setTimeout(function () { zoomTimer = null; }, 300);
      window.dispatchEvent(new CustomEvent("chart-zoom", { detail: range[0] + "," + range[1] }));
    };
  }

  function draw(el, args) {
    var existing = window.echarts.getInstanceByDom(el);
    if (existing) existing.dispose();
    var chart = window.echarts.init(el, dark() ? "dark" : null, { renderer: "canvas", locale: words().echarts });
    chart.group = GROUP;
    var option = JSON.parse(args.option);
    var series = JSON.parse(args.series);
    option.backgroundColor = "transparent";
    option.xAxis.min = args.from;
    option.xAxis.max = args.to;
    option.yAxis.name = args.unit;
    option.tooltip.valueFormatter = function (v) { return formatValue(v, args.unit); };
    option.series = (option.series || []).map(function (s) {
      var d = series.find(function (x) { return x.key === s.id; });
      s.data = d
        ? d.values.map(function (v, i) { return [d.start + i * d.step_ms, v]; })
        : [];
      // Few points, or points between gaps, are invisible as bare lines: mark them.
      var known = s.data.filter(function (p) { return p[1] !== null; }).length;
      if (known < 60) { s.showSymbol = true; s.symbolSize = 4; }
      return s;
    });
    chart.setOption(option, true);
    // Dragging on the plot selects a box to zoom into, without pressing the tool first.
    chart.dispatchAction({ type: "takeGlobalCursor", key: "dataZoomSelect", dataZoomSelectActive: true });
    chart.on("datazoom", onZoom(args));
    window.echarts.connect(GROUP);
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
    if (!live.has(el) && resizer) resizer.observe(el);
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

  /** Draws (or redraws) the chart in `el`; false when ECharts is not loaded. */
  function render(el, option, series, from, to, unit) {
    if (!window.echarts) return false;
    var args = { option: option, series: series, from: from, to: to, unit: unit };
    if (el.isConnected) drawLive(el, args);
    else whenConnected(el, args, 0);
    return true;
  }

  // A change between light and dark redraws every chart in the new theme.
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    var redraw = function () {
      sweep();
      live.forEach(function (args, el) { draw(el, args); });
    };
    if (scheme.addEventListener) scheme.addEventListener("change", redraw);
  }

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

  function formatTime(ms, lang) {
    return (formats[lang] || timeFormat).format(new Date(ms));
  }

  function timeZone() {
    var part = timeFormat.formatToParts(new Date()).find(function (p) { return p.type === "timeZoneName"; });
    var name = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return part ? (name ? name + " (" + part.value + ")" : part.value) : name || words().localTime;
  }

  window.srCharts = { render: render, formatTime: formatTime, timeZone: timeZone };
})();
