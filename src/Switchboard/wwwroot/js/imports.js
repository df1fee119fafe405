// The import wizard. While an import is queued or running, its status card (a partial the server renders and
// permission-checks, /imports/{id}?handler=Status) is fetched again every half second and swapped in, so the
// progress bar moves and the result appears when the run is done; polling stops once the card is not live.
(function () {
  'use strict';

  var POLL_MS = 500;
  var MAX_FAILURES = 20;
  var failures = 0;

  function card() { return document.getElementById('import-status'); }

  function schedule() { window.setTimeout(poll, POLL_MS); }

  function poll() {
    var current = card();
    if (!current || current.getAttribute('data-live') !== 'true') return;
    var url = current.getAttribute('data-status-url');
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        // A signed-out session is redirected to the sign-in page: never put that inside the card.
        if (!response.ok || response.redirected) throw new Error('status ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement('template');
        template.innerHTML = html.trim();
        var next = template.content.querySelector('#import-status');
        if (!next) throw new Error('no status card in the response');
        failures = 0;
        var now = card();
        if (now) now.replaceWith(next);
        if (next.getAttribute('data-live') === 'true') schedule();
      })
      .catch(function () {
        failures += 1;
        if (failures < MAX_FAILURES) schedule();
      });
  }

  // The mapping step: a column set to "Don't import" is dimmed as soon as it is chosen.
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.classList.contains('import-field-select')) return;
    select.classList.toggle('import-unmapped', select.value === '');
  });

  document.addEventListener('DOMContentLoaded', function () {
    var current = card();
    if (current && current.getAttribute('data-live') === 'true') schedule();
  });
})();
