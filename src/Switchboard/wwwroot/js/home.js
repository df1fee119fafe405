// Charts on the home page (manager and admin view). The series come from data-series attributes (JSON) rendered by the
// server, as on the reports page: no inline scripts under the CSP. Every chart has a table beside it for screen readers.
(function () {
  'use strict';

  var ACCENT = '#6366f1';
  var ACCENT_SOFT = '#c7d2fe';
  var SUCCESS = '#16a34a';
  var MUTED = '#94a3b8';

  function series(canvas) {
    try { return JSON.parse(canvas.getAttribute('data-series') || '{}'); } catch (e) { return {}; }
  }

  function money(currency) {
    var format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
    return function (value) { return currency + ' ' + format.format(value); };
  }

  function moneyTooltip(currency) {
    var show = money(currency);
    return { callbacks: { label: function (item) { return item.dataset.label + ': ' + show(item.parsed.x !== undefined && item.chart.options.indexAxis === 'y' ? item.parsed.x : item.parsed.y); } } };
  }

  var charts = {
    pipeline: function (data) {
      return {
        type: 'bar',
        data: {
          labels: data.labels,
          datasets: [
            { label: 'Amount', data: data.amount, backgroundColor: ACCENT_SOFT, borderRadius: 4, grouped: false, order: 1 },
            { label: 'Weighted', data: data.weighted, backgroundColor: ACCENT, borderRadius: 4, grouped: false, barPercentage: 0.55, order: 0 }
          ]
        },
        options: {
          indexAxis: 'y',
          plugins: { legend: { position: 'bottom' }, tooltip: moneyTooltip(data.currency) },
          scales: { x: { beginAtZero: true, ticks: { callback: money(data.currency), maxTicksLimit: 5 } } }
        }
      };
    },
    forecast: function (data) {
      return {
        type: 'bar',
        data: {
          labels: data.labels,
          datasets: [
            { label: 'Amount', data: data.amount, backgroundColor: ACCENT_SOFT, borderRadius: 4, grouped: false, order: 1 },
            { label: 'Weighted', data: data.weighted, backgroundColor: SUCCESS, borderRadius: 4, grouped: false, barPercentage: 0.55, order: 0 }
          ]
        },
        options: {
          plugins: { legend: { position: 'bottom' }, tooltip: moneyTooltip(data.currency) },
          scales: { y: { beginAtZero: true, ticks: { callback: money(data.currency), maxTicksLimit: 6 } } }
        }
      };
    },
    'connect-rate': function (data) {
      return {
        type: 'line',
        data: {
          labels: data.labels,
          datasets: [
            { label: 'Connect rate', data: data.rate, borderColor: SUCCESS, backgroundColor: 'rgba(22, 163, 74, .12)', fill: true, tension: 0.3, pointRadius: 2, borderWidth: 2.5, yAxisID: 'y' },
            { label: 'Dials', data: data.dials, type: 'bar', backgroundColor: '#e2e8f0', borderRadius: 3, yAxisID: 'dials', order: 2 }
          ]
        },
        options: {
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + item.formattedValue + (item.dataset.yAxisID === 'y' ? '%' : ''); } } }
          },
          scales: {
            y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: function (v) { return v + '%'; } } },
            dials: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0, color: MUTED } },
            x: { ticks: { maxTicksLimit: 10, autoSkip: true } }
          }
        }
      };
    }
  };

  function draw(canvas) {
    var kind = canvas.getAttribute('data-home-chart');
    var data = series(canvas);
    if (!charts[kind] || !data.labels) return;
    var config = charts[kind](data);
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    config.options.interaction = { mode: 'index', intersect: false };
    new window.Chart(canvas, config);
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.Chart) return;
    document.querySelectorAll('canvas[data-home-chart]').forEach(draw);
  });
})();
