// Charts on the reports page. The series come from data-series attributes (JSON) rendered by the server.
(function () {
  'use strict';

  var DIALS = '#6366f1';
  var CONNECTS = '#16a34a';

  function series(canvas) {
    try { return JSON.parse(canvas.getAttribute('data-series') || '{}'); } catch (e) { return {}; }
  }

  function draw(canvas) {
    var data = series(canvas);
    if (!data.labels) return;
    var daily = canvas.getAttribute('data-chart') === 'daily';
    new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: [
          // Chart.js draws a lower order on top: the daily Connects line goes over the Dials bars, not behind them.
          { label: 'Dials', data: data.dials, backgroundColor: DIALS, borderColor: DIALS, borderRadius: 4, order: daily ? 1 : 0 },
          daily
            ? { label: 'Connects', data: data.connects, type: 'line', borderColor: CONNECTS, backgroundColor: CONNECTS, borderWidth: 3, tension: 0.25, pointRadius: 4, order: 0 }
            : { label: 'Connects', data: data.connects, backgroundColor: CONNECTS, borderRadius: 4 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: daily ? 'x' : 'y',
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } } },
        scales: daily ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.Chart) return;
    document.querySelectorAll('canvas[data-chart]').forEach(draw);
  });
})();
