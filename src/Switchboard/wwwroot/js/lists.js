// List pages: choosing a saved view opens it at once (the "Open" button does the same without script).
// Delegated, so it keeps working after htmx swaps the results (which hold the tool bar).
(function () {
  'use strict';

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute('data-auto-submit') || !select.form) return;
    select.form.requestSubmit();
  });
})();
