/* Draws every dashboard chart from its json_script data (no inline script; strict CSP).
   The same numbers are in the table next to each canvas, so the page works without this file. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "id";
  var number = new Intl.NumberFormat(lang === "en" ? "en-US" : "id-ID");
  var colors = ["#0b5394", "#e69138", "#6aa84f", "#cc0000"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var percent = spec.percent;
    var datasets = spec.datasets.map(function (d, i) {
      return {label: d.label, data: d.data, borderColor: colors[i % colors.length],
              backgroundColor: colors[i % colors.length], tension: 0.2, pointRadius: 2};
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: datasets},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: {position: "bottom", labels: {boxWidth: 12}},
          tooltip: {callbacks: {label: function (ctx) {
            return ctx.dataset.label + ": " + number.format(ctx.parsed.y) + (percent ? "%" : "");
          }}}
        },
        scales: {
          x: {ticks: {maxRotation: 60, autoSkip: true}},
          y: {beginAtZero: true, max: percent ? 100 : undefined,
              ticks: {precision: 0, callback: function (v) { return number.format(v) + (percent ? "%" : ""); }}}
        }
      }
    });
  });
})();
