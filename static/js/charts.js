/* Every chart of the public pages: <canvas data-chart="ID"> reads {type, labels, datasets: [{label, data}]}
   from the json_script element ID. Numbers in Indonesian format; the same numbers are always in an
   HTML table next to the chart, so the page works without this file. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  var colors = ["#0b4f6c", "#e69138", "#6aa84f", "#cc0000"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec.labels || !spec.labels.length) { return; }
    var datasets = spec.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, borderColor: colors[i % colors.length],
               backgroundColor: colors[i % colors.length], tension: 0.2, pointRadius: 3 };
    });
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + number.format(ctx.parsed.y); } } }
        },
        scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return number.format(value); } } } }
      }
    });
  });
})();
