/* Every chart of the portal: <canvas data-chart="ID"> reads its data from the json_script element ID
   ({type, label, labels, values, max}). Numbers in Indonesian format; the same numbers are always
   in an HTML table next to the chart, so the canvas is decoration for sighted readers. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var fmt = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec.values || !spec.values.length) { return; }
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: [{ label: spec.label, data: spec.values, backgroundColor: "rgba(11, 79, 108, 0.75)",
                     borderColor: "rgb(11, 79, 108)", borderWidth: 2, tension: 0.2 }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, locale: "id-ID",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) { return spec.label + ": " + fmt.format(ctx.parsed.y); } } }
        },
        scales: { y: { beginAtZero: true, suggestedMax: spec.max || undefined,
                       ticks: { callback: function (value) { return fmt.format(value); } } } }
      }
    });
  });
})();
