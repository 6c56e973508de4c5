// @ts-check
// The OpenPTL dashboard: routing, sign-in and start-up. Each view is its own module (backlog.js,
// ptl.js, pathway.js, referral.js, search.js, mdt.js, returns.js, ptl31.js, inbox.js, users.js,
// audit.js, outlook.js); api.js talks to the server, live.js to /live, format.js and forms.js hold the shared
// helpers, event-form.js the form for any event. Every view is a lit-html template (served from
// the lit-html package at /vendor/lit-html/, no build step), which puts what the server sends in as
// text, never as markup; format.js's draw() puts a view on the page.
import { html } from '/vendor/lit-html/lit-html.js';
import { changePassword, SignedOut, signIn, signOut, vocabulary, whenSignedOut, whoAmI } from './api.js';
import { connectLive, disconnectLive, onBacklog, onInbox } from './live.js';
import { draw, setLabels, setNames } from './format.js';
import { fieldValue, onSubmit } from './forms.js';
import { showBacklog, updateBacklog } from './backlog.js';
import { showPtl } from './ptl.js';
import { showPathway } from './pathway.js';
import { showUsers } from './users.js';
import { showAudit } from './audit.js';
import { showCodes } from './codes.js';
import { showNewReferral } from './referral.js';
import { showSearch } from './search.js';
import { showMdt, showMeeting } from './mdt.js';
import { showReturns } from './returns.js';
import { showPtl31 } from './ptl31.js';
import { showInbox } from './inbox.js';
import { showTimedPathways, showTimedPatients } from './timed.js';
import { showOutlook } from './outlook.js';
import { showInequalities } from './inequalities.js';

const main = document.getElementById('main');

/** @type {[RegExp, (m: RegExpExecArray, params: URLSearchParams) => Promise<unknown>][]} the views by address: '#/path?query' */
const ROUTES = [
  [/^\/pathway\/(.+)$/, (m, params) => showPathway(decodeURIComponent(m[1] ?? ''), formFromLink(params))],
  [/^\/ptl$/, (_m, params) => showPtl(params)],
  [/^\/ptl31$/, (_m, params) => showPtl31(params)],
  [/^\/returns$/, (_m, params) => showReturns(params)],
  [/^\/inbox$/, () => showInbox()],
  [/^\/referral\/new$/, () => showNewReferral()],
  [/^\/search$/, (_m, params) => showSearch(params)],
  [/^\/mdt\/(\d+)$/, (m) => showMeeting(m[1] ?? '')],
  [/^\/mdt$/, (_m, params) => showMdt(params)],
  [/^\/users$/, () => showUsers()],
  [/^\/audit$/, (_m, params) => showAudit(params)],
  [/^\/codes$/, (_m, params) => showCodes(params)], // issue #28
  [/^\/timed\/patients$/, (_m, params) => showTimedPatients(params)], // issue #26
  [/^\/timed$/, (_m, params) => showTimedPathways(params)],
  [/^\/outlook$/, (_m, params) => showOutlook(params)], // issue #23
  [/^\/inequalities$/, (_m, params) => showInequalities(params)], // issue #27
];

/** @param {string} id @param {boolean} shown */
const show = (id, shown) => {
  const el = document.getElementById(id);
  if (el) el.hidden = !shown;
};

/**
 * Shows the view the address names. One at a time, in order: a view still waiting for the server
 * when the address changes again (a quick click on another link) would otherwise draw over the
 * newer one when its answer came. A view that fails says so on the page.
 * @type {Promise<unknown>}
 */
let drawing = Promise.resolve();
function route() {
  drawing = drawing.then(() => showView().catch(showFailure));
  return drawing;
}

/**
 * A view that failed, said on the page in words (the page is not left blank) and in the browser's
 * console for whoever looks into it; nothing about it goes to the server.
 * @param {unknown} error
 */
function showFailure(error) {
  if (error instanceof SignedOut) return; // the sign-in form is shown instead
  console.error('This page could not be shown:', error);
  // fetch's own failure: no answer came (the server stopped, or the network is down).
  const why =
    error instanceof TypeError && /fetch/i.test(error.message)
      ? 'the server did not answer. Check your network connection, then try again.'
      : 'something went wrong in the page. Try again; if it happens again, tell your system administrator what you were doing.';
  document.title = 'Page not shown – OpenPTL';
  draw(
    main,
    html`<div class="nhsuk-error-summary" id="view-failed" role="alert" tabindex="-1"><h1 class="nhsuk-error-summary__title">There is a problem</h1><p>This page could not be shown: ${why}</p>
    <p><button class="nhsuk-button nhsuk-button--secondary" type="button" @click=${() => route()}>Try again</button></p></div>`,
  );
  document.getElementById('view-failed')?.focus();
}

async function showView() {
  const me = await whoAmI();
  if (!me) return showSignIn();
  if (me.passwordChangeRequired) return showChangePassword();
  for (const el of ['nav', 'search', 'account']) show(el, true);
  const who = document.getElementById('who');
  if (who) {
    // The name only, its role on hover and to screen readers, so the header keeps one row at 1366 wide.
    who.textContent = me.name;
    who.title = `${me.name}, signed in as ${me.role.replace('_', ' ')}`;
    who.setAttribute('aria-label', who.title);
  }
  for (const link of document.querySelectorAll('[data-admin]'))
    /** @type {HTMLElement} */ (link).hidden = me.role !== 'admin';
  // What the role may do (issue #25): a viewer sees counts only; the server refuses the rest anyway.
  for (const link of document.querySelectorAll('[data-needs]'))
    /** @type {HTMLElement} */ (link).hidden = !me.permissions.includes(
      /** @type {HTMLElement} */ (link).dataset.needs ?? '',
    );
  show('search', me.permissions.includes('patients'));
  connectLive();
  const words = await vocabulary();
  setLabels(words.labels); // words for codes, before any view draws
  setNames(words.providerNames, words.sites); // providers and sites by name (issue #28)
  const [path = '', query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  for (const a of document.querySelectorAll('#nav a')) {
    if (
      a.getAttribute('href') === `#${path || '/'}` ||
      (path.startsWith('/mdt') && a.getAttribute('href') === '#/mdt') ||
      (path.startsWith('/timed') && a.getAttribute('href') === '#/timed')
    )
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const search = /** @type {HTMLInputElement | null} */ (document.getElementById('search-q'));
  if (path !== '/search' && search) search.value = '';
  for (const [pattern, view] of ROUTES) {
    const m = pattern.exec(path);
    if (m) return view(m, params);
  }
  return showBacklog();
}

/**
 * A form a link asks the pathway page to open (the returns work list: the item missing, and why).
 * @param {URLSearchParams} params
 */
function formFromLink(params) {
  const type = params.get('form');
  if (!type) return undefined;
  const field = params.get('field');
  const problem = params.get('problem');
  return {
    form: {
      type,
      values: { target: params.get('target') ?? '' },
      ...(problem ? (field ? { errors: { [field]: problem } } : { general: problem }) : {}),
    },
  };
}

/**
 * A refusal said above its form (#ID-error, #ID-message), which keeps what was typed.
 * @param {string} id @param {string} message
 */
function problemAbove(id, message) {
  const box = document.getElementById(`${id}-error`);
  const text = document.getElementById(`${id}-message`);
  if (!box || !text) return;
  box.hidden = false;
  text.textContent = message;
  box.focus();
}

function showSignIn() {
  for (const el of ['nav', 'search', 'account']) show(el, false);
  document.title = 'Sign in – OpenPTL';
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    const data = new FormData(form);
    const r = await signIn(String(data.get('name') ?? ''), String(data.get('password') ?? ''));
    if (!r.ok) return problemAbove('sign-in', r.body?.message ?? 'Sign-in failed');
    if (!location.hash || location.hash === '#/sign-in') location.hash = '#/';
    await route();
    // As after a page load: the next Tab starts at the top of the page (skip link, then the menu).
    document.getElementById('top')?.focus();
  };
  draw(
    main,
    html`
    <h1>Sign in</h1>
    <div class="nhsuk-error-summary" id="sign-in-error" role="alert" tabindex="-1" hidden><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="sign-in-message"></p></div>
    <form id="sign-in" novalidate @submit=${onSubmit(submit)}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="name">User name</label><input class="nhsuk-input nhsuk-input--width-20" id="name" name="name" autocomplete="username" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="password">Password</label><input class="nhsuk-input nhsuk-input--width-20" id="password" name="password" type="password" autocomplete="current-password" required></div>
      <button class="nhsuk-button" type="submit">Sign in</button>
    </form>`,
  );
  document.getElementById('name')?.focus();
}

/** A password kept from before the password policy that the policy refuses: it must be changed before anything else (issue #25). */
function showChangePassword() {
  for (const el of ['nav', 'search']) show(el, false);
  show('account', true);
  document.title = 'Change your password – OpenPTL';
  const submit = async (/** @type {HTMLFormElement} */ form) => {
    const data = new FormData(form);
    const r = await changePassword(String(data.get('password') ?? ''), String(data.get('newPassword') ?? ''));
    if (!r.ok) return problemAbove('password', r.body?.message ?? 'The password was not changed');
    location.hash = '#/';
    await route();
  };
  draw(
    main,
    html`
    <h1>Change your password</h1>
    <p>Your password is too easy to guess. Choose a new one before you go on: at least 12 characters, not a common word or phrase.</p>
    <div class="nhsuk-error-summary" id="password-error" role="alert" tabindex="-1" hidden><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="password-message"></p></div>
    <form id="change-password" novalidate @submit=${onSubmit(submit)}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="current-password">Current password</label><input class="nhsuk-input nhsuk-input--width-20" id="current-password" name="password" type="password" autocomplete="current-password" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-password">New password</label><input class="nhsuk-input nhsuk-input--width-20" id="new-password" name="newPassword" type="password" autocomplete="new-password" required></div>
      <button class="nhsuk-button" type="submit">Change password</button>
    </form>`,
  );
  document.getElementById('current-password')?.focus();
}

whenSignedOut(showSignIn);
onBacklog(updateBacklog);
onInbox((n) => {
  const count = document.getElementById('inbox-count');
  if (count) count.textContent = n ? String(n) : ''; // no badge when nothing waits
});
window.addEventListener('hashchange', () => route());
document.getElementById('sign-out')?.addEventListener('click', async () => {
  await signOut();
  disconnectLive();
  showSignIn();
});
document.getElementById('search')?.addEventListener(
  'submit',
  onSubmit((form) => {
    const q = fieldValue(form, 'q');
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  }),
);
route();
