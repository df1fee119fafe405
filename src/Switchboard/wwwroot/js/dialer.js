// The dialer workspace: keyboard shortcuts, the live call timer, the auto-dial countdown, and call status from the floor hub.
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

    // D dial, S skip, P pause/resume auto-dial, Enter save; never while the agent types in a field. Outcomes have
    // their own keys (outcome.js). Escape cancels a running countdown wherever the focus is.
    Alpine.data('dialerKeys', function () {
      return {
        onKey: function (event) {
          if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
          if (event.key === 'Escape') {
            if (clickIfEnabled('[data-action="cancel-countdown"]')) event.preventDefault();
            return;
          }
          if (typing(event.target)) return;
          var key = event.key;
          var handled = false;
          if (key === 'd' || key === 'D') handled = clickIfEnabled('[data-action="dial"]');
          else if (key === 'p' || key === 'P') handled = clickIfEnabled('[data-action="toggle-autodial"]');
          else if (key === 's' || key === 'S') handled = clickIfEnabled('[data-action="skip"]');
          else if (key === 'Enter' && !/^(BUTTON|A)$/.test(event.target.tagName)) handled = clickIfEnabled('#save-disposition');
          if (handled) event.preventDefault();
        }
      };
    });

    // The countdown the server armed (data-seconds left of data-total): at zero it asks for the dial once. The server
    // places it only while the countdown still stands (not paused or canceled in another tab), and only once.
    Alpine.data('autoDial', function () {
      return {
        left: 0,
        total: 1,
        name: '',
        label: '',
        elapsed: 0,
        timer: null,
        fired: false,
        init: function () {
          var root = this.$root;
          this.left = Math.max(0, parseInt(root.getAttribute('data-seconds'), 10) || 0);
          this.total = Math.max(1, parseInt(root.getAttribute('data-total'), 10) || 1);
          this.name = root.getAttribute('data-name') || 'the next lead';
          this.render();
          if (this.left <= 0) { this.fire(); return; }
          var self = this;
          this.timer = window.setInterval(function () {
            self.left = Math.max(0, self.left - 1);
            self.render();
            if (self.left <= 0) self.fire();
          }, 1000);
        },
        render: function () {
          this.label = this.left > 0 ? 'Dialing ' + this.name + ' in ' + this.left + '…' : 'Dialing ' + this.name + '…';
          this.elapsed = this.total - this.left;
        },
        fire: function () {
          if (this.fired) return;
          this.fired = true;
          window.clearInterval(this.timer);
          var form = this.$refs.auto;
          if (form && form.isConnected) form.requestSubmit();
        },
        destroy: function () { window.clearInterval(this.timer); }
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

  // The session's stats follow the agent's calls as they end and get their outcomes.
  var statsTimer = null;
  document.addEventListener('switchboard:event', function (event) {
    var detail = event.detail || {};
    var data = detail.data || {};
    var shell = document.querySelector('[data-user-id]');
    var mine = shell && data.agentId === shell.getAttribute('data-user-id');
    if (!window.htmx || !document.getElementById('session-report')) return;
    if (detail.type !== 'realtime.resync' && !(mine && (detail.type === 'call.status' || detail.type === 'call.disposition'))) return;
    window.clearTimeout(statsTimer);
    statsTimer = window.setTimeout(function () { window.htmx.trigger(document.body, 'dialer-stats'); }, 300);
  });
})();
