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
  });
})();
