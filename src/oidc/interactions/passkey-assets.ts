import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OIDC_PREFIX } from '../oidc-provider.config';

/** Where the passkey page's two scripts are served (same origin, under the page's nonce). */
export const PASSKEY_ASSETS_PATH = `${OIDC_PREFIX}/assets`;
export const PASSKEY_SCRIPTS = [
  `${PASSKEY_ASSETS_PATH}/simplewebauthn-browser.js`,
  `${PASSKEY_ASSETS_PATH}/passkey.js`,
];

/**
 * The page's own script, plain ES2017 (no build step): a form marked `data-passkey-options`
 * fetches the ceremony's options from there, runs @simplewebauthn/browser's
 * startAuthentication (the browser's prompt), and posts the answer as the hidden `credential`.
 * When the options cannot be had (the sign-in moved on) the page goes back to the interaction,
 * which shows where the sign-in is; a cancelled prompt shows the form's message and can be retried.
 */
const PAGE_SCRIPT = `(function () {
  'use strict';
  document.querySelectorAll('form[data-passkey-options]').forEach(function (form) {
    var button = form.querySelector('button');
    var error = form.querySelector('[data-passkey-error]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      error.textContent = '';
      fetch(form.dataset.passkeyOptions, { method: 'POST', credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw new Error('options');
          return res.json();
        })
        .then(function (optionsJSON) {
          return SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: optionsJSON }).then(
            function (credential) {
              form.elements.credential.value = JSON.stringify(credential);
              form.submit();
            },
            function () {
              button.disabled = false;
              error.textContent = form.dataset.passkeyFailed;
            },
          );
        })
        .catch(function () {
          window.location.assign(form.dataset.passkeyRestart);
        });
    });
  });
})();
`;

let library: string | undefined;

/** A script by its file name, or undefined. The library's browser bundle is read once. */
export function passkeyAsset(name: string): string | undefined {
  if (name === 'passkey.js') return PAGE_SCRIPT;
  if (name !== 'simplewebauthn-browser.js') return undefined;
  // The package's own UMD bundle (global SimpleWebAuthnBrowser); its exports map names the
  // CommonJS entry only, so the bundle is found beside it.
  const entry = require.resolve('@simplewebauthn/browser');
  library ??= readFileSync(
    join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'),
    'utf8',
  );
  return library;
}
