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

  // Each disposition's hotkey picks it in the outcome form on the page (data-hotkey on its option), never while the
  // agent types in a field (the outcome list itself excepted: its own type-ahead would pick by the first letter).
  // Keys the app uses elsewhere (the dialer's D and S) are refused as hotkeys by the server.
  function outcomeSelect() {
    var form = document.querySelector('[data-testid="disposition-form"]');
    return form ? form.querySelector('select[name="Outcome.Disposition"]') : null;
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // A disposition that requires a callback marks the callback field required (and says for which outcome).
  function showCallback(select, focus) {
    var form = select.form;
    var field = form && form.querySelector('[data-callback-field]');
    if (!field) return;
    var option = select.options[select.selectedIndex];
    var required = !!(option && option.getAttribute('data-requires-callback') === 'true');
    var note = field.querySelector('[data-callback-note]');
    var input = field.querySelector('input');
    var label = option ? option.getAttribute('data-label') : '';
    field.classList.toggle('is-required', required);
    if (input) input.setAttribute('aria-required', required ? 'true' : 'false');
    if (note) note.textContent = '(' + (required ? 'required for ' + label : 'optional') + ', their local time: ' + note.getAttribute('data-zone') + ')';
    if (required && focus && input) input.focus();
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented) return;
    var select = outcomeSelect();
    if (!select || (typing(event.target) && event.target !== select)) return;
    var key = (event.key || '').toLowerCase();
    if (!/^[a-z0-9]$/.test(key)) return;
    var option = select.querySelector('option[data-hotkey="' + key + '"]');
    if (!option) return;
    event.preventDefault();
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    showCallback(select, true);
  });

  document.addEventListener('change', function (event) {
    var select = outcomeSelect();
    if (select && event.target === select) showCallback(select, false);
  });

  // The card's own save answers with the card; the call's change then refreshes the bar through the hub.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var target = event.detail.target;
    if (!target || target.id !== 'call-outcome') return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf('/outcome') < 0) event.detail.shouldSwap = false;
  });
})();
