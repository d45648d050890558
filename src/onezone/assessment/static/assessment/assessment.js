// Draws every <canvas data-oz-chart="id-of-json-script"> with the Chart.js the back office ships.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas[data-oz-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.ozChart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    spec.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, spec.options || {});
    canvas.ozChart = new Chart(canvas, spec);
  });
});
