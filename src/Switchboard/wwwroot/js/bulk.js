// Bulk actions on list pages: row and page checkboxes, "select all matching", the action's value field, the
// export link for the selection, and focus on the progress when it appears. Delegated, so it keeps working after
// htmx swaps the results (which hold the bar and the checkboxes). Without script the checkboxes still post.
(function () {
  'use strict';

  function rows(form) {
    return Array.prototype.slice.call(document.querySelectorAll('input[data-bulk-row][form="' + form.id + '"]'));
  }

  function pageBox(form) {
    return document.querySelector('input[data-bulk-page][data-bulk-for="' + form.id + '"]');
  }

  function scope(form) {
    return form.querySelector('[data-bulk-scope]');
  }

  function update(form) {
    var all = rows(form);
    var picked = all.filter(function (box) { return box.checked; });
    var everything = scope(form).value === 'filter';
    var plural = form.getAttribute('data-plural');
    var total = parseInt(form.getAttribute('data-total') || '0', 10);
    var page = pageBox(form);
    if (page) {
      page.checked = all.length > 0 && picked.length === all.length;
      page.indeterminate = picked.length > 0 && picked.length < all.length;
    }
    var count = form.querySelector('[data-bulk-count]');
    var totalText = form.getAttribute('data-total-text');
    if (everything) count.textContent = 'All ' + (totalText ? totalText + ' ' : '') + plural + ' matching this filter are selected.';
    else if (picked.length > 0) count.textContent = picked.length.toLocaleString() + ' selected' + (picked.length === all.length && total > all.length ? ' (this page).' : '.');
    else count.textContent = 'Select ' + plural + ' to act on several at once.';
    form.querySelector('[data-bulk-all]').hidden = everything || picked.length !== all.length || all.length === 0 || total <= all.length;
    form.querySelector('[data-bulk-clear]').hidden = !everything && picked.length === 0;
    form.querySelector('[data-bulk-actions]').hidden = !everything && picked.length === 0;
    form.classList.toggle('bulk-bar-active', everything || picked.length > 0);
    var exportLink = form.querySelector('[data-bulk-export]');
    if (exportLink) {
      var base = form.getAttribute('data-export-url');
      exportLink.href = everything ? base : base + '&filter.id=' + encodeURIComponent('in:' + picked.map(function (box) { return box.value; }).join('|'));
    }
  }

  function showValue(form) {
    var action = form.querySelector('[data-bulk-action]');
    var chosen = action ? action.value : '';
    Array.prototype.forEach.call(form.querySelectorAll('[data-bulk-value]'), function (field) {
      var on = field.getAttribute('data-bulk-value') === chosen;
      field.hidden = !on;
      field.querySelector('select').disabled = !on;
    });
    var apply = form.querySelector('[data-bulk-apply]');
    if (apply) apply.classList.toggle('button-danger', chosen === 'delete');
  }

  function formOf(element) {
    if (element.hasAttribute('data-bulk-row')) return document.getElementById(element.getAttribute('form'));
    if (element.hasAttribute('data-bulk-page')) return document.getElementById(element.getAttribute('data-bulk-for'));
    return element.closest('[data-bulk-form]');
  }

  document.addEventListener('change', function (event) {
    var element = event.target;
    if (!(element instanceof HTMLElement)) return;
    var form = formOf(element);
    if (!form) return;
    if (element.hasAttribute('data-bulk-page')) {
      rows(form).forEach(function (box) { box.checked = element.checked; });
      scope(form).value = 'ids';
    } else if (element.hasAttribute('data-bulk-row') && !element.checked) {
      scope(form).value = 'ids';
    }
    if (element.hasAttribute('data-bulk-action')) showValue(form);
    update(form);
  });

  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-bulk-all], [data-bulk-clear]') : null;
    if (!button) return;
    var form = button.closest('[data-bulk-form]');
    if (button.hasAttribute('data-bulk-all')) {
      rows(form).forEach(function (box) { box.checked = true; });
      scope(form).value = 'filter';
    } else {
      rows(form).forEach(function (box) { box.checked = false; });
      scope(form).value = 'ids';
    }
    update(form);
    form.querySelector('[data-bulk-count]').focus();
  });

  // Capture phase: runs before htmx's own submit handler on the form, so a declined confirmation sends nothing.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-bulk-form')) return;
    var action = form.querySelector('[data-bulk-action]');
    if (!action || action.value !== 'delete') return;
    var everything = scope(form).value === 'filter';
    var count = everything ? 'all ' + (form.getAttribute('data-total-text') || 'matching') : String(rows(form).filter(function (box) { return box.checked; }).length);
    if (!window.confirm('Delete ' + count + ' ' + form.getAttribute('data-plural') + '? This cannot be undone.')) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // The progress appears in the bar's status region, then turns into the summary: focus its heading each time.
  function focusIn(element) {
    var heading = element.querySelector('.bulk-progress h2, .bulk-problem');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  document.addEventListener('htmx:afterSettle', function (event) {
    var element = event.target;
    if (!(element instanceof Element)) return;
    if (element.classList.contains('bulk-status')) {
      focusIn(element);
      return;
    }
    var finished = document.querySelector('.bulk-status .bulk-progress:is([data-status="completed"], [data-status="failed"]):not([data-focused])');
    if (!finished) return;
    finished.setAttribute('data-focused', '');
    focusIn(finished.parentElement);
  });

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-bulk-form]'), function (form) { showValue(form); update(form); });
  });
  document.addEventListener('htmx:load', function (event) {
    var forms = event.target instanceof Element ? event.target.querySelectorAll('[data-bulk-form]') : [];
    Array.prototype.forEach.call(forms, function (form) { showValue(form); update(form); });
  });
})();
