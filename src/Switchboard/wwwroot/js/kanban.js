// The opportunities kanban: cards move between stage columns by drag (mouse or touch, SortableJS) or by each card's
// stage list (keyboard). A move posts to the page's Move handler (antiforgery header); on success the stage totals are
// rewritten from the answer, on failure the card goes back where it was and the message is shown. A move to a lost
// stage asks for a reason.
(function () {
  'use strict';

  function board() { return document.querySelector('[data-testid="kanban"]'); }

  function message(text) {
    var box = document.querySelector('[data-testid="kanban-message"]');
    if (!box) return;
    box.textContent = text || '';
    box.hidden = !text;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // The card's stage list names the column it stands in.
  function stageOf(card, column) {
    var select = card.querySelector('select[data-move-stage]');
    if (select && column) select.value = column.getAttribute('data-stage-id');
  }

  function askLostReason() {
    var dialog = document.querySelector('[data-testid="lost-dialog"]');
    return new Promise(function (resolve) {
      var field = dialog.querySelector('textarea');
      var cancel = dialog.querySelector('[data-cancel]');
      field.value = '';
      function onCancel() { dialog.close(''); }
      function onClose() {
        cancel.removeEventListener('click', onCancel);
        dialog.removeEventListener('close', onClose);
        var reason = field.value.trim();
        resolve(dialog.returnValue === 'confirm' && reason ? reason : null);
      }
      cancel.addEventListener('click', onCancel);
      dialog.addEventListener('close', onClose);
      dialog.returnValue = '';
      dialog.showModal();
      field.focus();
    });
  }

  function move(card, column, origin, nextSibling) {
    var restore = function (text) {
      origin.insertBefore(card, nextSibling && nextSibling.parentNode === origin ? nextSibling : null);
      stageOf(card, origin.closest('.kanban-column'));
      message(text);
    };
    stageOf(card, column);
    var needsReason = column.getAttribute('data-stage-kind') === 'lost';
    var reason = needsReason ? askLostReason() : Promise.resolve(null);
    reason.then(function (lostReason) {
      if (needsReason && !lostReason) {
        restore('The opportunity was not moved: a lost reason is required.');
        return;
      }
      var body = new URLSearchParams();
      body.set('id', card.getAttribute('data-id'));
      body.set('stageId', column.getAttribute('data-stage-id'));
      body.set('version', card.getAttribute('data-version'));
      if (lostReason) body.set('lostReason', lostReason);
      card.setAttribute('aria-busy', 'true');
      fetch(window.location.pathname + '?handler=Move', {
        method: 'POST',
        headers: { 'X-CSRF-TOKEN': csrfToken(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body,
        credentials: 'same-origin'
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        card.removeAttribute('aria-busy');
        if (!result.ok) {
          restore(result.data.message || 'The opportunity could not be moved.');
          return;
        }
        message('');
        card.setAttribute('data-version', String(result.data.version));
        (result.data.stages || []).forEach(function (stage) {
          var totals = document.querySelector('[data-stage-id="' + stage.id + '"] [data-testid="stage-totals"]');
          if (totals) totals.textContent = stage.totals;
        });
      }).catch(function () {
        card.removeAttribute('aria-busy');
        restore('The opportunity could not be moved: the server did not answer.');
      });
    });
  }

  // Dragging, with a mouse or a finger, is SortableJS's (wwwroot/lib/Sortable.min.js): native drag and drop for a mouse,
  // its own pointer path for touch, where a short press-and-hold starts the drag so a swipe still scrolls the board.
  // Only a move to another stage is kept; the order inside a column is the board's own (by close date).
  function enableDrag(root) {
    if (!window.Sortable || root.getAttribute('data-can-move') !== 'true') return;
    Array.prototype.forEach.call(root.querySelectorAll('.kanban-cards'), function (list) {
      window.Sortable.create(list, {
        group: 'kanban',
        draggable: '.kanban-card',
        filter: '.kanban-card-move',
        preventOnFilter: false,
        delay: 180,
        delayOnTouchOnly: true,
        touchStartThreshold: 6,
        animation: 150,
        ghostClass: 'is-ghost',
        chosenClass: 'is-chosen',
        dragClass: 'is-dragging',
        onEnd: function (event) {
          if (event.from === event.to) return;
          var column = event.to.closest('.kanban-column');
          // After the card left, the element at its old index is the one it stood before.
          move(event.item, column, event.from, event.from.children[event.oldIndex] || null);
        }
      });
    });
  }

  // The keyboard (and no-drag) way: each card's stage list and Move button move it like a drop on that column. The
  // button, not the list's change, moves it: arrowing through a closed list changes it once per key.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-move-card]');
    if (!button) return;
    var card = button.closest('.kanban-card');
    var select = card && card.querySelector('select[data-move-stage]');
    var column = select && document.querySelector('.kanban-column[data-stage-id="' + select.value + '"]');
    if (!column || column.contains(card)) return;
    var origin = card.parentNode;
    var next = card.nextElementSibling;
    column.querySelector('.kanban-cards').appendChild(card);
    move(card, column, origin, next);
    button.focus();
  });

  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-autosubmit]')) event.target.form.submit();
  });

  document.addEventListener('DOMContentLoaded', function () {
    var root = board();
    if (!root) return;
    message('');
    enableDrag(root);
  });
})();
