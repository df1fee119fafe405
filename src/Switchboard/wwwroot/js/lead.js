// The lead page: re-fetches the "Calls" card (an htmx partial rendered and permission-checked by the server)
// shortly after an event about one of this lead's calls, so statuses, recordings, transcripts and outcomes
// appear without a reload. Events carry ids only; everything shown comes from the partial.
(function () {
  'use strict';

  var DEBOUNCE_MS = 250;
  var CALL_EVENTS = { 'call.status': true, 'call.recording': true, 'call.transcription': true, 'call.disposition': true };
  var CONNECT_CHECK_MS = 250;
  var CONNECT_CHECKS = 80;
  var pending = null;
  var openTranscripts = [];

  function timeline() { return document.getElementById('lead-calls'); }

  function refresh() {
    pending = null;
    var card = timeline();
    if (card && window.htmx) window.htmx.trigger(card, 'lead:refresh');
  }

  function scheduleRefresh() {
    if (pending !== null) window.clearTimeout(pending);
    pending = window.setTimeout(refresh, DEBOUNCE_MS);
  }

  document.addEventListener('switchboard:event', function (event) {
    var card = timeline();
    var detail = event.detail;
    if (!card || !detail) return;
    var forThisLead = CALL_EVENTS[detail.type] && detail.data && detail.data.leadId === card.getAttribute('data-lead-id');
    if (forThisLead || detail.type === 'realtime.resync') scheduleRefresh();
  });

  // A re-render must not close a transcript the user is reading; and an expired session (the request was
  // redirected to the sign-in page) must not put that page inside the card.
  document.addEventListener('htmx:beforeSwap', function (event) {
    if (event.target !== timeline()) return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf('handler=Calls') < 0) {
      event.detail.shouldSwap = false;
      return;
    }
    openTranscripts = Array.prototype.map.call(event.target.querySelectorAll('details[data-transcript-of][open]'),
      function (details) { return details.getAttribute('data-transcript-of'); });
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.target !== timeline()) return;
    openTranscripts.forEach(function (id) {
      var details = event.target.querySelector('details[data-transcript-of="' + id + '"]');
      if (details) details.open = true;
    });
    openTranscripts = [];
  });

  // The first connection after a page load does not announce a resync, but a call placed from this page
  // (the Call button reloads it) may have moved on before the hub connected: look once when it is up.
  function refreshOnceConnected(checksLeft) {
    var realtime = window.switchboardRealtime;
    if (realtime && realtime.state === 'Connected') {
      refresh();
      return;
    }
    if (checksLeft > 0) window.setTimeout(function () { refreshOnceConnected(checksLeft - 1); }, CONNECT_CHECK_MS);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var card = timeline();
    if (card && card.getAttribute('data-live') === 'true') refreshOnceConnected(CONNECT_CHECKS);
  });
})();
