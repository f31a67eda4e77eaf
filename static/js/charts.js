/* Tugi charts: every <canvas data-chart="ID"> becomes a Chart.js chart of the JSON in the
   <script id="ID" type="application/json"> tag (made by tugi/charts.py). The same figures are
   in a table next to each chart; the canvas is only a picture of them. No build step. */
(function () {
  "use strict";

  const palette = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997", "#6c757d", "#ffc107", "#0dcaf0", "#dc3545"];
  const euro = new Intl.NumberFormat("et-EE", { style: "currency", currency: "EUR" });
  const plain = new Intl.NumberFormat("et-EE");

  function dataset(spec, index) {
    const colour = palette[index % palette.length];
    const line = (spec.type || "") === "line";
    return Object.assign({}, spec, {
      data: spec.data.map(function (v) { return v === null ? null : Number(v); }),
      backgroundColor: line ? colour : colour + "cc",
      borderColor: colour,
      borderWidth: line ? 2 : 1,
      borderDash: spec.dashed ? [6, 4] : undefined,
      pointRadius: line ? 2 : undefined,
      fill: false,
    });
  }

  // Long category names (a quality-of-life question) break into lines of about `width`
  // characters, so every one of them fits beside its bar.
  function wrap(label, width) {
    const lines = [];
    String(label).split(" ").forEach(function (word) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines;
  }

  function draw(canvas) {
    if (!window.Chart || window.Chart.getChart(canvas)) return;
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const format = spec.money ? euro.format : plain.format;
    const lineChart = spec.type === "line";
    // Every category is labelled: Chart.js would otherwise skip labels that do not fit.
    const categoryAxis = { stacked: spec.stacked, ticks: { autoSkip: false } };
    const valueAxis = { stacked: spec.stacked, beginAtZero: true, suggestedMax: spec.yMax || undefined,
                        ticks: { precision: spec.money ? undefined : 0, callback: function (v) { return format(v); } } };
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.horizontal ? spec.labels.map(function (l) { return wrap(l, canvas.clientWidth < 500 ? 18 : 32); }) : spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return dataset(lineChart ? Object.assign({ type: "line" }, d) : d, i);
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.horizontal
          ? { y: categoryAxis, x: valueAxis }
          : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) {
            return c.dataset.label + ": " + format(spec.horizontal ? c.parsed.x : c.parsed.y);
          } } },
        },
      },
    });
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
