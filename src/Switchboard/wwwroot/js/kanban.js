// The opportunities kanban: HTML5 drag and drop of cards between stage columns. A drop posts the move to the
// page's Move handler (antiforgery header); on success the stage totals are rewritten from the answer, on
// failure the card goes back where it was and the message is shown. A drop on a lost stage asks for a reason.
(function () {
  'use strict';

  var dragged = null;

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
      message(text);
    };
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

  document.addEventListener('dragstart', function (event) {
    var card = event.target.closest && event.target.closest('.kanban-card');
    if (!card || card.getAttribute('draggable') !== 'true') return;
    dragged = { card: card, origin: card.parentNode, next: card.nextElementSibling };
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', card.getAttribute('data-id'));
    card.classList.add('is-dragging');
  });

  document.addEventListener('dragend', function (event) {
    var card = event.target.closest && event.target.closest('.kanban-card');
    if (card) card.classList.remove('is-dragging');
    Array.prototype.forEach.call(document.querySelectorAll('.kanban-column.is-over'), function (c) { c.classList.remove('is-over'); });
  });

  document.addEventListener('dragover', function (event) {
    var column = dragged && event.target.closest && event.target.closest('.kanban-column');
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    column.classList.add('is-over');
  });

  document.addEventListener('dragleave', function (event) {
    var column = event.target.closest && event.target.closest('.kanban-column');
    if (column && !column.contains(event.relatedTarget)) column.classList.remove('is-over');
  });

  document.addEventListener('drop', function (event) {
    var column = dragged && event.target.closest && event.target.closest('.kanban-column');
    if (!column) return;
    event.preventDefault();
    column.classList.remove('is-over');
    var state = dragged;
    dragged = null;
    if (column.contains(state.card)) return;
    column.querySelector('.kanban-cards').appendChild(state.card);
    move(state.card, column, state.origin, state.next);
  });

  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-autosubmit]')) event.target.form.submit();
  });

  document.addEventListener('DOMContentLoaded', function () {
    if (board()) message('');
  });
})();
