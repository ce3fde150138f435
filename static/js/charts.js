/* Charts of the results pages (Chart.js, vendored in static/vendor/chartjs-4.6.1/).
   The Content-Security-Policy runs no inline script: a page puts its data in a
   {% json_script %} element and marks the canvas with data-chart="<id of that element>";
   this file draws every such canvas once the page is loaded.

   The data: {"labels": [...], "series": [{"label", "data"}...], "rate": {"label", "data"}}
   — stacked bars for the series, a line on a 0–100 % axis for the rate. */
(function () {
  "use strict";
  var COLOURS = ["#198754", "#0d6efd", "#dc3545", "#6c757d"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var datasets = data.series.map(function (serie, index) {
      return { type: "bar", label: serie.label, data: serie.data, stack: "resolved",
               backgroundColor: COLOURS[index % COLOURS.length], yAxisID: "y" };
    });
    if (data.rate) {
      datasets.push({ type: "line", label: data.rate.label, data: data.rate.data,
                      borderColor: "#fd7e14", backgroundColor: "#fd7e14",
                      yAxisID: "rate", spanGaps: true, tension: 0.2 });
    }
    new Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true, aspectRatio: 3, animation: false,
        scales: {
          y: { stacked: true, beginAtZero: true, position: "left" },
          x: { stacked: true },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } }
        }
      }
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
