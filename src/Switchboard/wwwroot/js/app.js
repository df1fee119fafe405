// Switchboard UI behaviour. Runs under a strict CSP: no inline scripts, Alpine's CSP build,
// so every component is registered here by name and templates only reference properties and methods.
(function () {
  'use strict';

  document.addEventListener('alpine:init', function () {
    var Alpine = window.Alpine;

    // The app shell: the sidebar slides in on small screens.
    Alpine.data('shell', function () {
      return {
        navOpen: false,
        get navClass() { return this.navOpen ? 'open' : ''; },
        get navExpanded() { return this.navOpen ? 'true' : 'false'; },
        toggleNav: function () { this.navOpen = !this.navOpen; },
        closeNav: function () { this.navOpen = false; }
      };
    });

    // Menus (tenant switcher, user menu): click to open, Escape or a click outside to close.
    Alpine.data('dropdown', function () {
      return {
        open: false,
        get expanded() { return this.open ? 'true' : 'false'; },
        toggle: function () {
          this.open = !this.open;
          if (this.open) {
            var root = this.$root;
            this.$nextTick(function () {
              var first = root.querySelector('.menu [role="menuitem"]:not([disabled])');
              if (first) first.focus();
            });
          }
        },
        close: function () { this.open = false; }
      };
    });

    Alpine.data('dismissible', function () {
      return {
        visible: true,
        dismiss: function () { this.visible = false; }
      };
    });

    // A form whose submit must be confirmed; the question is in data-confirm.
    Alpine.data('confirmSubmit', function () {
      return {
        check: function (event) {
          var question = this.$root.getAttribute('data-confirm') || 'Are you sure?';
          if (!window.confirm(question)) event.preventDefault();
        }
      };
    });

    // Submits the enclosing form when a control changes (role pickers, filters).
    Alpine.data('autoSubmit', function () {
      return {
        submit: function () {
          var form = this.$root.tagName === 'FORM' ? this.$root : this.$root.closest('form');
          if (form) form.requestSubmit();
        }
      };
    });
  });

  // htmx: send the antiforgery token on every request, and keep GET URLs free of empty parameters.
  document.addEventListener('htmx:configRequest', function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers['X-CSRF-TOKEN'] = meta.getAttribute('content');
    if (event.detail.verb === 'get' && event.detail.formData) {
      var empty = [];
      event.detail.formData.forEach(function (value, key) { if (value === '') empty.push(key); });
      empty.forEach(function (key) { event.detail.formData.delete(key); });
    }
  });

  // htmx does not swap a failed request's answer. The server answers htmx with an error fragment (ADR 0023); show it
  // at the top of the page (replacing an earlier one) so a search or click that failed says so, with its reference.
  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    var main = document.getElementById('main');
    if (!xhr || !main || !/text\/html/.test(xhr.getResponseHeader('Content-Type') || '')) return;
    var template = document.createElement('template');
    template.innerHTML = xhr.responseText;
    var fragment = template.content.querySelector('[data-error-status]');
    if (!fragment) return;
    var earlier = main.querySelector(':scope > [data-error-status]');
    if (earlier) earlier.remove();
    main.insertBefore(fragment, main.firstChild);
  });

  // "/" focuses the search box, as in most products people know; not while typing in a field.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var search = document.querySelector('[data-search]');
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
})();
