// Live updates from the floor hub, re-dispatched as DOM events so any page can listen without
// knowing about SignalR:
//
//   document.addEventListener('switchboard:event', function (e) {
//     if (e.detail.type === 'call.status_changed') { ... e.detail.data.callId ... }
//   });
//
// Events carry ids and statuses only; fetch details through the usual endpoints. After any gap
// (reconnect, or the server's own LISTEN connection recovering) a 'realtime.resync' event is
// dispatched: events may have been missed, so reload what the page shows.
//
// Needs /lib/signalr.min.js loaded first. Same-origin WebSockets (or server-sent events) only, so the
// CSP's connect-src 'self' covers it; include it on signed-in pages only.
(function () {
  'use strict';

  var signalR = window.signalR;
  if (!signalR) return;

  var EVENT = 'switchboard:event';
  var MAX_DELAY_MS = 30000;

  function dispatch(payload) {
    document.dispatchEvent(new CustomEvent(EVENT, { detail: payload }));
  }

  // 0s, 2s, 4s, 8s ... capped at 30s, forever: a floor screen should come back on its own after an outage.
  function delayFor(attempt) {
    return Math.min(MAX_DELAY_MS, attempt === 0 ? 0 : 1000 * Math.pow(2, attempt));
  }

  var connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/floor', {
      transport: signalR.HttpTransportType.WebSockets | signalR.HttpTransportType.ServerSentEvents
    })
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: function (context) { return delayFor(context.previousRetryCount); }
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  connection.on('event', dispatch);
  connection.onreconnected(function () { dispatch({ type: 'realtime.resync', data: {} }); });

  // Negotiate failures arrive wrapped, with the status only in the message.
  function isRefused(error) {
    if (!error) return false;
    if (error.statusCode === 401 || error.statusCode === 403) return true;
    return /Status code '40[13]'/.test(String(error.message || ''));
  }

  var startAttempts = 0;

  function start() {
    connection.start().then(function () {
      if (startAttempts > 0) dispatch({ type: 'realtime.resync', data: {} });
      startAttempts = 0;
    }, function (error) {
      // Signed out or outside a tenant: retrying will not help until the page is reloaded.
      if (isRefused(error)) return;
      startAttempts++;
      window.setTimeout(start, delayFor(startAttempts));
    });
  }

  // Automatic reconnect gives up only when the server closes the connection for good (e.g. the sign-in
  // expired); start again, and the 401 check above stops us if the session has really ended.
  connection.onclose(function () {
    startAttempts++;
    window.setTimeout(start, delayFor(startAttempts));
  });

  window.switchboardRealtime = {
    get state() { return connection.state; }
  };

  start();
})();
