// A record page's timeline card (#record-timeline with data-refresh-url) follows the record's calls live: when a call
// shown in it, or a call of the lead on screen, changes status or gets its outcome, the list is re-fetched (rendered
// and permission-checked by the server) and swapped in. The note form above the list is left alone, and the list is
// not swapped while a note in it is being edited.
(function () {
  'use strict';

  var DEBOUNCE_MS = 300;
  var CALL_EVENTS = { 'call.status': true, 'call.disposition': true, 'call.recording': true, 'call.transcription': true };
  var pending = null;

  function card() {
    var element = document.getElementById('record-timeline');
    return element && element.getAttribute('data-refresh-url') ? element : null;
  }

  function concerns(element, data) {
    var type = element.getAttribute('data-related-type');
    var id = element.getAttribute('data-related-id');
    if ((type === 'lead' && data.leadId === id) || (type === 'contact' && data.contactId === id)) return true;
    return !!(data.callId && /^[0-9a-f-]{36}$/.test(data.callId) && element.querySelector('[data-call-id="' + data.callId + '"]'));
  }

  function refresh() {
    pending = null;
    var element = card();
    if (!element) return;
    var list = element.querySelector('ol.timeline');
    if (!list || list.querySelector('details.note-edit[open]') || list.contains(document.activeElement)) return;
    window.fetch(element.getAttribute('data-refresh-url'), { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (response) { return response.ok && response.url.indexOf('handler=Timeline') >= 0 ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('#record-timeline ol.timeline');
        var current = card() && card().querySelector('ol.timeline');
        if (!fresh || !current || current.querySelector('details.note-edit[open]')) return;
        var node = document.importNode(fresh, true);
        current.replaceWith(node);
        if (window.htmx) window.htmx.process(node);
      })
      .catch(function () { /* the next event or a resync tries again */ });
  }

  document.addEventListener('switchboard:event', function (event) {
    var element = card();
    var detail = event.detail || {};
    if (!element) return;
    if (detail.type === 'realtime.resync' || (CALL_EVENTS[detail.type] && concerns(element, detail.data || {}))) {
      if (pending !== null) window.clearTimeout(pending);
      pending = window.setTimeout(refresh, DEBOUNCE_MS);
    }
  });
})();
