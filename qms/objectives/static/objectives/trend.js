/* The trend of a quality objective (Chart.js, vendored in static/vendor/chartjs-4.6.1/):
   the results per period as a line, the target as a dashed line. The data come from a
   {% json_script %} element named by the canvas's data-trend attribute (no inline script:
   the Content-Security-Policy forbids it). */
(function () {
  "use strict";

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-trend"));
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.value.label, data: data.value.data, borderColor: "#0d6efd",
            backgroundColor: "#0d6efd", spanGaps: true, tension: 0.2 },
          { label: data.target.label, data: data.target.data, borderColor: "#dc3545",
            borderDash: [6, 4], pointRadius: 0, fill: false }
        ]
      },
      options: { responsive: true, aspectRatio: 3, animation: false }
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-trend]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
