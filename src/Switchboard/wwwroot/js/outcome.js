// The outcome step follows the agent (loaded on every page for members who place calls; needs realtime.js):
// - the "outcome needed" bar (#outcome-bar, in the layout) is re-fetched when one of the agent's calls ends or gets
//   its outcome, so it appears on whatever page they are on and goes once the outcome is saved;
// - a record page's outcome card (#call-outcome) is re-fetched the same way, so the form appears live when the call
//   ends. While it shows the form for the same call, only the parts that follow the call (title, hint, save button)
//   change: what the agent has typed stays.
// Events carry ids only; the server renders both fragments for the signed-in agent.
(function () {
  'use strict';

  var DEBOUNCE_MS = 200;
  var timers = {};

  function later(key, work) {
    if (timers[key]) window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () { timers[key] = null; work(); }, DEBOUNCE_MS);
  }

  function me() {
    var shell = document.querySelector('[data-user-id]');
    return shell ? shell.getAttribute('data-user-id') : null;
  }

  // A fragment from the server, or nothing when the sign-in expired (the request was redirected) or it failed.
  function fetchFragment(url, mustContain, apply) {
    window.fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (response) { return response.ok && response.url.indexOf(mustContain) >= 0 ? response.text() : null; })
      .then(function (html) { if (html !== null) apply(new DOMParser().parseFromString(html, 'text/html')); })
      .catch(function () { /* the next event or a resync tries again */ });
  }

  function adopt(current, fresh) {
    var node = document.importNode(fresh, true);
    current.replaceWith(node);
    if (window.htmx) window.htmx.process(node);
  }

  function refreshBar() {
    if (!document.getElementById('outcome-bar')) return;
    fetchFragment('/calls/outcome-bar', '/calls/outcome-bar', function (doc) {
      var fresh = doc.getElementById('outcome-bar');
      var current = document.getElementById('outcome-bar');
      if (fresh && current) adopt(current, fresh);
    });
  }

  function refreshPanel() {
    var panel = document.getElementById('call-outcome');
    if (!panel || !panel.getAttribute('data-refresh-url')) return;
    fetchFragment(panel.getAttribute('data-refresh-url'), 'handler=Outcome', function (doc) {
      var fresh = doc.getElementById('call-outcome');
      var current = document.getElementById('call-outcome');
      if (!fresh || !current) return;
      // "Outcome saved" stays until there is another call to wrap up.
      if (!fresh.querySelector('form') && current.querySelector('[data-testid="outcome-saved"]')) return;
      var callId = fresh.getAttribute('data-call-id');
      if (callId && callId === current.getAttribute('data-call-id') && current.querySelector('form')) {
        ['.card-title', '.call-outcome-hint', '[data-outcome-actions]'].forEach(function (selector) {
          var part = current.querySelector(selector);
          var replacement = fresh.querySelector(selector);
          if (part && replacement) adopt(part, replacement);
        });
        return;
      }
      adopt(current, fresh);
    });
  }

  document.addEventListener('switchboard:event', function (event) {
    var detail = event.detail || {};
    var data = detail.data || {};
    var mine = data.agentId === me() || data.userId === me();
    if (detail.type === 'realtime.resync' || (mine && (detail.type === 'call.status' || detail.type === 'call.disposition'))) {
      later('bar', refreshBar);
      later('panel', refreshPanel);
    }
  });

  // The card's own save answers with the card; the call's change then refreshes the bar through the hub.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    if (!target || target.id !== 'call-outcome') return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf('/outcome') < 0) event.detail.shouldSwap = false;
  });
})();
