// Toasts for agents: an incoming call offered to them ("Incoming call from <lead>"). Text only, via
// textContent, since lead names come from callers. Needs realtime.js, which dispatches 'switchboard:event'.
(function () {
  'use strict';

  var SHOW_MS = 15000;

  function offeredTo(data, userId) {
    var ids = data.agentIds;
    return !ids || ids.length === 0 || ids.indexOf(userId) >= 0;
  }

  function show(area, data) {
    var notice = document.createElement('div');
    notice.className = 'notice';
    notice.setAttribute('data-testid', 'incoming-call');
    var text = document.createElement('span');
    text.textContent = 'Incoming call from ' + (data.leadName || data.from || 'an unknown caller');
    notice.appendChild(text);
    if (data.leadId) {
      var link = document.createElement('a');
      link.href = '/leads/' + encodeURIComponent(data.leadId);
      link.textContent = 'Open lead';
      notice.appendChild(link);
    }
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', function () { notice.remove(); });
    notice.appendChild(close);
    area.appendChild(notice);
    window.setTimeout(function () { notice.remove(); }, SHOW_MS);
  }

  document.addEventListener('switchboard:event', function (event) {
    var detail = event.detail || {};
    if (detail.type !== 'call.incoming') return;
    var area = document.getElementById('notices');
    if (!area) return;
    var data = detail.data || {};
    if (!offeredTo(data, area.getAttribute('data-user-id'))) return;
    show(area, data);
  });
})();
