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

    // A secret shown once (a new API key): the button copies it and says so; the field stays selectable without JavaScript.
    window.Alpine.data('copyText', function () {
      return {
        copy: function (event) {
          var button = event.currentTarget;
          var source = this.$refs.source;
          var say = function (text) { button.textContent = text; };
          source.select();
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(source.value).then(function () { say('Copied'); }, function () { say('Press Ctrl+C'); });
          } else {
            say(document.execCommand('copy') ? 'Copied' : 'Press Ctrl+C');
          }
        }
      };
    });

    // The call script editor: a merge field button inserts its token at the cursor, and placeholders that are not
    // merge fields are named as they are typed (the server names them too, without JavaScript). Same rule as
    // CallScript.Find: braces around one short line, matched without regard to case, spaces or underscores.
    window.Alpine.data('callScript', function () {
      var placeholder = /\{([^{}\r\n]{1,40})\}/g;
      function normalize(name) { return name.trim().replace(/[\s_]+/g, ' ').toLowerCase(); }
      return {
        check: function () {
          var known = JSON.parse(this.$root.getAttribute('data-fields') || '[]');
          var unknown = [];
          var text = this.$refs.script.value;
          var match;
          placeholder.lastIndex = 0;
          while ((match = placeholder.exec(text)) !== null) {
            if (known.indexOf(normalize(match[1])) < 0 && unknown.indexOf(match[0]) < 0) unknown.push(match[0]);
          }
          this.$refs.warning.textContent = unknown.length === 0 ? ''
            : 'Not a merge field, so agents will see it as typed: ' + unknown.join(', ') + '.';
        },
        insert: function (event) {
          var token = event.currentTarget.getAttribute('data-token');
          var script = this.$refs.script;
          var start = script.selectionStart, end = script.selectionEnd;
          script.setRangeText(token, start, end, 'end');
          script.focus();
          this.check();
        }
      };
    });
  });
})();
