// Passkeys (ADR 0050): a form marked data-passkey="create" or "get" first fetches the server's WebAuthn options
// (data-options-url, posted with the form's fields and antiforgery token), asks the browser for a new passkey or for
// one to sign with, then posts itself with the browser's answer in its Credential field. WebAuthn hands binary
// values as ArrayBuffers; the server speaks base64url, so both directions are converted here.
(function () {
  'use strict';

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    var binary = atob(base64 + '='.repeat((4 - base64.length % 4) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer), binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: toBuffer(c.id) }); });
  }

  // Members the server left null are left out: WebIDL refuses null for an enum such as authenticatorAttachment.
  function withoutNulls(value) {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value === null || typeof value !== 'object') return value;
    var copy = {};
    Object.keys(value).forEach(function (key) { if (value[key] !== null) copy[key] = withoutNulls(value[key]); });
    return copy;
  }

  function creationOptions(o) {
    o = withoutNulls(o);
    return Object.assign({}, o, {
      challenge: toBuffer(o.challenge),
      user: Object.assign({}, o.user, { id: toBuffer(o.user.id) }),
      excludeCredentials: descriptors(o.excludeCredentials)
    });
  }

  function requestOptions(o) {
    o = withoutNulls(o);
    return Object.assign({}, o, { challenge: toBuffer(o.challenge), allowCredentials: descriptors(o.allowCredentials) });
  }

  function answer(credential) {
    var r = credential.response, json = {
      id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
    };
    if (r.attestationObject) {
      json.response = {
        attestationObject: toBase64url(r.attestationObject), clientDataJSON: toBase64url(r.clientDataJSON),
        transports: r.getTransports ? r.getTransports() : []
      };
    } else {
      json.response = {
        authenticatorData: toBase64url(r.authenticatorData), clientDataJSON: toBase64url(r.clientDataJSON),
        signature: toBase64url(r.signature), userHandle: toBase64url(r.userHandle)
      };
    }
    return json;
  }

  // What people are told when the browser refuses: the DOMException names of the WebAuthn spec.
  function explain(error) {
    switch (error && error.name) {
      case 'NotAllowedError': return 'The passkey request was cancelled or timed out, or no passkey for this site was found on this device. Try again.';
      case 'InvalidStateError': return 'This authenticator already holds a passkey for your account.';
      case 'SecurityError': return 'Passkeys work only on the address Switchboard is configured for, over https (or on localhost).';
      case 'NotSupportedError': return 'This device has no authenticator that can hold a passkey.';
      case 'AbortError': return 'The passkey request was cancelled.';
      default: return (error && error.serverMessage) || 'The passkey could not be used. Try again.';
    }
  }

  async function fetchOptions(form) {
    var response = await fetch(form.dataset.optionsUrl, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' } });
    var body = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      var fields = body.errors ? Object.values(body.errors).flat() : [];
      throw { serverMessage: fields[0] || body.detail || 'The server refused the passkey request. Reload the page and try again.' };
    }
    return body;
  }

  function bind(form) {
    var error = form.querySelector('[data-passkey-error]');
    var button = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      error.textContent = '';
      if (!window.PublicKeyCredential || !navigator.credentials) {
        error.textContent = 'This browser does not support passkeys. Use a current version of Chrome, Edge, Safari or Firefox.';
        return;
      }
      if (!form.reportValidity()) return;
      button.disabled = true;
      try {
        var options = await fetchOptions(form);
        var credential = form.dataset.passkey === 'create'
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        form.querySelector('input[name="Credential"]').value = JSON.stringify(answer(credential));
        form.submit();
      } catch (e) {
        error.textContent = explain(e);
        button.disabled = false;
      }
    });
  }

  document.querySelectorAll('form[data-passkey]').forEach(bind);
})();
