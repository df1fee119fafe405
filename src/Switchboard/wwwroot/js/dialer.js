// The dialer workspace: keyboard shortcuts, the live call timer, and call status from the floor hub.
// Loaded by the dialer page only. Without the realtime script the call panel polls on its own.
(function () {
  'use strict';

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function clickIfEnabled(selector) {
    var el = document.querySelector(selector);
    if (!el || el.disabled) return false;
    el.click();
    return true;
  }

  document.addEventListener('alpine:init', function () {
    var Alpine = window.Alpine;

    // D dial, S skip, Enter save; never while the agent types in a field. Outcomes have their own keys (outcome.js).
    Alpine.data('dialerKeys', function () {
      return {
        onKey: function (event) {
          if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
          var key = event.key;
          var handled = false;
          if (key === 'd' || key === 'D') handled = clickIfEnabled('[data-action="dial"]');
          else if (key === 's' || key === 'S') handled = clickIfEnabled('[data-action="skip"]');
          else if (key === 'Enter' && !/^(BUTTON|A)$/.test(event.target.tagName)) handled = clickIfEnabled('#save-disposition');
          if (handled) event.preventDefault();
        }
      };
    });

    // m:ss since the call was answered (data-since, ISO-8601).
    Alpine.data('callTimer', function () {
      return {
        elapsed: '0:00',
        timer: null,
        init: function () {
          var since = Date.parse(this.$root.getAttribute('data-since'));
          var self = this;
          function tick() {
            var seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
            var rest = seconds % 60;
            self.elapsed = Math.floor(seconds / 60) + ':' + (rest < 10 ? '0' : '') + rest;
          }
          tick();
          this.timer = window.setInterval(tick, 1000);
        },
        destroy: function () { window.clearInterval(this.timer); }
      };
    });
  });

  // A status change for the call on screen refreshes its panel at once instead of at the next poll.
  document.addEventListener('switchboard:event', function (event) {
    var detail = event.detail || {};
    var panel = document.getElementById('call-panel');
    if (!panel || !window.htmx || !panel.getAttribute('hx-get')) return;
    var forThisCall = detail.type === 'call.status' && detail.data && detail.data.callId === panel.getAttribute('data-call-id');
    if (forThisCall || detail.type === 'realtime.resync') window.htmx.trigger(panel, 'refresh');
  });
})();
