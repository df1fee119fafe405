// Settings pages. Runs under a strict CSP with Alpine's CSP build: components are registered by name.
(function () {
  'use strict';

  document.addEventListener('alpine:init', function () {
    // A provider's "use for calls" radio lives in its card but belongs to the shared activate form
    // (the radios form one group across cards); choosing one submits that form.
    window.Alpine.data('activateProvider', function () {
      return {
        activate: function (event) {
          var form = event.target.form;
          if (form) form.requestSubmit();
        }
      };
    });

    // The pipeline stage editor: the arrows move a row in place (its Stages.Index input goes with it, so the
    // posted order is the new order) instead of submitting; without JavaScript they submit and the server moves it.
    window.Alpine.data('stageRows', function () {
      function move(component, event, step) {
        event.preventDefault();
        var button = event.currentTarget;
        var row = button.closest('tr');
        var sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
        // New (unsaved) rows stay at the end, below the saved stages.
        if (!sibling || !sibling.querySelector('input[name$=".Id"]')) return;
        if (step < 0) row.parentNode.insertBefore(row, sibling);
        else row.parentNode.insertBefore(sibling, row);
        button.focus();
        component.changed = true;
      }
      return {
        changed: false,
        up: function (event) { move(this, event, -1); },
        down: function (event) { move(this, event, 1); }
      };
    });
  });
})();
