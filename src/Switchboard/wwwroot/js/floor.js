// The floor wallboard: re-fetches the board (an htmx partial rendered by the server, so counters stay exact)
// shortly after any call or presence change, and ticks live call timers once a second.
(function () {
  'use strict';

  var DEBOUNCE_MS = 250;
  var RELEVANT = { 'call.status': true, 'call.disposition': true, 'presence.changed': true, 'realtime.resync': true };
  var pending = null;

  function refresh() {
    pending = null;
    var board = document.getElementById('board');
    if (board && window.htmx) window.htmx.trigger(board, 'floor:refresh');
  }

  document.addEventListener('switchboard:event', function (event) {
    if (!event.detail || !RELEVANT[event.detail.type]) return;
    if (pending !== null) window.clearTimeout(pending);
    pending = window.setTimeout(refresh, DEBOUNCE_MS);
  });

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(s) : m + ':' + pad(s);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-answered-at]').forEach(function (timer) {
      var started = Date.parse(timer.getAttribute('data-answered-at'));
      if (isNaN(started)) return;
      timer.textContent = format(Math.max(0, Math.floor((now - started) / 1000)));
    });
  }

  document.addEventListener('htmx:afterSwap', tick);
  document.addEventListener('DOMContentLoaded', tick);
  window.setInterval(tick, 1000);
})();
