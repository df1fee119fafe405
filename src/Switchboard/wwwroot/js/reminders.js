// Task reminders follow the member across pages (loaded on every page inside a tenant; needs realtime.js). The
// reminders (#task-reminders, in the layout) are re-fetched when the hub says one of the member's reminders fired
// ('task.due'), changed elsewhere ('task.reminders_changed', another tab snoozed it), or a task was given to them
// ('task.assigned', shown once with the task's name). Events carry ids only and reach the member's own connections;
// the server renders the fragment for the signed-in member.
(function () {
  'use strict';

  var timer = null;

  function refresh(assigned) {
    if (!document.getElementById('task-reminders')) return;
    var url = '/tasks/reminders' + (assigned ? '?assigned=' + encodeURIComponent(assigned) : '');
    window.fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (response) { return response.ok && response.url.indexOf('/tasks/reminders') >= 0 ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('task-reminders');
        var current = document.getElementById('task-reminders');
        if (!fresh || !current) return;
        var node = document.importNode(fresh, true);
        current.replaceWith(node);
        if (window.htmx) window.htmx.process(node);
      })
      .catch(function () { /* the next event or a resync tries again */ });
  }

  // "Assigned to you" is news, not a reminder: its × only takes it off this page.
  document.addEventListener('click', function (event) {
    var close = event.target.closest && event.target.closest('[data-close-reminder]');
    if (!close) return;
    var notice = close.closest('.reminder');
    if (notice) notice.remove();
    var bar = document.getElementById('task-reminders');
    if (bar && !bar.querySelector('.reminder')) bar.hidden = true;
  });

  document.addEventListener('switchboard:event', function (event) {
    var detail = event.detail || {};
    var data = detail.data || {};
    if (detail.type === 'task.assigned') {
      refresh(data.taskId);
      return;
    }
    if (detail.type === 'task.due' || detail.type === 'task.reminders_changed' || detail.type === 'realtime.resync') {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(function () { timer = null; refresh(null); }, 150);
    }
  });
})();
