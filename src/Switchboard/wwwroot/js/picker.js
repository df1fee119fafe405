// The record picker (Ui/Forms/_RecordPicker): a combobox that searches as you type and posts the chosen record's id in
// a hidden input, as the select it replaces did. Runs under the strict CSP with Alpine's CSP build, so the component is
// registered by name and touches the DOM itself. Options come from the server (Features/Search/Pick) through htmx.
(function () {
  'use strict';

  document.addEventListener('alpine:init', function () {
    window.Alpine.data('recordPicker', function () {
      var timer = null;
      var sequence = 0;
      return {
        // The name of the record the hidden input holds: what the text goes back to when the caller leaves without choosing.
        chosen: '',
        active: -1,

        init: function () { this.chosen = this.$refs.input.value; },

        options: function () { return Array.prototype.slice.call(this.$refs.list.querySelectorAll('[role="option"]')); },

        isOpen: function () { return !this.$refs.list.hidden; },

        show: function (open) {
          this.$refs.list.hidden = !open;
          this.$refs.input.setAttribute('aria-expanded', open ? 'true' : 'false');
          if (!open) this.highlight(-1);
        },

        highlight: function (index) {
          var options = this.options();
          this.active = index;
          options.forEach(function (option, i) { option.setAttribute('aria-selected', i === index ? 'true' : 'false'); });
          if (index >= 0 && options[index]) {
            this.$refs.input.setAttribute('aria-activedescendant', options[index].id);
            options[index].scrollIntoView({ block: 'nearest' });
          } else {
            this.$refs.input.removeAttribute('aria-activedescendant');
          }
        },

        // Typing searches after a short pause; clearing the text unlinks the record.
        search: function () {
          var self = this;
          window.clearTimeout(timer);
          if (this.$refs.input.value.trim() === '') {
            this.set('', '');
            this.show(false);
            return;
          }
          timer = window.setTimeout(function () { self.load(); }, 200);
        },

        load: function () {
          var self = this;
          var list = this.$refs.list;
          var query = this.$refs.input.value;
          var mine = ++sequence;
          var url = this.$root.getAttribute('data-source') + '&q=' + encodeURIComponent(query);
          // Our own swap into the list box, so an answer overtaken by a later keystroke is dropped.
          window.htmx.ajax('GET', url, { source: list, target: list, handler: function (elt, info) {
            if (mine !== sequence || !info.xhr || info.xhr.status !== 200) return;
            list.innerHTML = info.xhr.responseText;
            self.options().forEach(function (option, i) { option.id = list.id + '-' + i; });
            self.show(document.activeElement === self.$refs.input);
            self.highlight(self.options().length > 0 ? 0 : -1);
          } });
        },

        set: function (value, label) {
          this.$refs.value.value = value;
          this.chosen = label;
          this.$refs.value.dispatchEvent(new Event('change', { bubbles: true }));
        },

        pick: function (option) {
          this.set(option.getAttribute('data-value'), option.getAttribute('data-label'));
          this.$refs.input.value = this.chosen;
          this.show(false);
        },

        key: function (event) {
          var count = this.options().length;
          switch (event.key) {
            case 'ArrowDown':
              event.preventDefault();
              if (!this.isOpen()) { if (this.$refs.input.value.trim() !== '') this.load(); return; }
              this.highlight(count === 0 ? -1 : (this.active + 1) % count);
              return;
            case 'ArrowUp':
              event.preventDefault();
              if (this.isOpen() && count > 0) this.highlight(this.active <= 0 ? count - 1 : this.active - 1);
              return;
            case 'Enter':
              // With the list open, Enter chooses; it never submits the form with a half-typed name.
              if (!this.isOpen()) return;
              event.preventDefault();
              if (this.active >= 0) this.pick(this.options()[this.active]);
              return;
            case 'Escape':
              if (!this.isOpen()) return;
              event.preventDefault();
              this.restore();
              return;
          }
        },

        // A click on an option must not blur the input first.
        hold: function (event) { event.preventDefault(); },

        choose: function (event) {
          var option = event.target.closest('[role="option"]');
          if (option) this.pick(option);
        },

        leave: function (event) {
          if (event.relatedTarget && this.$root.contains(event.relatedTarget)) return;
          window.clearTimeout(timer);
          this.restore();
        },

        restore: function () {
          sequence++;
          this.$refs.input.value = this.chosen;
          this.show(false);
        }
      };
    });
  });
})();
