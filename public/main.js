// The OpenPTL dashboard: routing, sign-in and start-up. Each view is its own module (backlog.js,
// ptl.js, pathway.js, referral.js, search.js, mdt.js, returns.js, ptl31.js, inbox.js, users.js,
// audit.js); api.js talks to the server, live.js to /live, format.js and forms.js hold the shared
// helpers, event-form.js the form for any event.
import { signIn, signOut, vocabulary, whenSignedOut, whoAmI } from './api.js';
import { connectLive, disconnectLive, onBacklog, onInbox } from './live.js';
import { esc, setLabels } from './format.js';
import { showBacklog, updateBacklog } from './backlog.js';
import { showPtl } from './ptl.js';
import { showPathway } from './pathway.js';
import { showUsers } from './users.js';
import { showAudit } from './audit.js';
import { showNewReferral } from './referral.js';
import { showSearch } from './search.js';
import { showMdt, showMeeting } from './mdt.js';
import { showReturns } from './returns.js';
import { showPtl31 } from './ptl31.js';
import { showInbox } from './inbox.js';

const main = document.getElementById('main');

/** The views by address: '#/path?query'. */
const ROUTES = [
  [/^\/pathway\/(.+)$/, (m, params) => showPathway(decodeURIComponent(m[1]), formFromLink(params))],
  [/^\/ptl$/, (_m, params) => showPtl(params)],
  [/^\/ptl31$/, (_m, params) => showPtl31(params)],
  [/^\/returns$/, (_m, params) => showReturns(params)],
  [/^\/inbox$/, () => showInbox()],
  [/^\/referral\/new$/, () => showNewReferral()],
  [/^\/search$/, (_m, params) => showSearch(params)],
  [/^\/mdt\/(\d+)$/, (m) => showMeeting(m[1])],
  [/^\/mdt$/, (_m, params) => showMdt(params)],
  [/^\/users$/, () => showUsers()],
  [/^\/audit$/, (_m, params) => showAudit(params)],
];

/**
 * Shows the view the address names. One at a time, in order: a view still waiting for the server
 * when the address changes again (a quick click on another link) would otherwise draw over the
 * newer one when its answer came.
 */
let drawing = Promise.resolve();
function route() {
  drawing = drawing.then(draw, draw);
  return drawing;
}

async function draw() {
  const me = await whoAmI();
  if (!me) return showSignIn();
  for (const el of ['nav', 'search', 'account']) document.getElementById(el).hidden = false;
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  for (const link of document.querySelectorAll('[data-admin]')) link.hidden = me.role !== 'admin';
  document.getElementById('add-referral').hidden = me.role === 'viewer';
  document.getElementById('nav-returns').hidden = me.role === 'viewer'; // the national returns are for trackers and admins
  connectLive();
  setLabels((await vocabulary()).labels); // words for codes, before any view draws
  const [path, query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#${path || '/'}` || (path.startsWith('/mdt') && a.getAttribute('href') === '#/mdt'))
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (path !== '/search') document.getElementById('search-q').value = '';
  for (const [pattern, show] of ROUTES) {
    const m = pattern.exec(path ?? '');
    if (m) return show(m, params);
  }
  return showBacklog();
}

/** A form a link asks the pathway page to open (the returns work list: the item missing, and why). */
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

function showSignIn(message) {
  for (const el of ['nav', 'search', 'account']) document.getElementById(el).hidden = true;
  document.title = 'Sign in – OpenPTL';
  main.innerHTML = `
    <h1>Sign in</h1>
    <div class="nhsuk-error-summary" id="sign-in-error" role="alert" tabindex="-1" ${message ? '' : 'hidden'}><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="sign-in-message">${esc(message)}</p></div>
    <form id="sign-in" novalidate>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="name">User name</label><input class="nhsuk-input nhsuk-input--width-20" id="name" name="name" autocomplete="username" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="password">Password</label><input class="nhsuk-input nhsuk-input--width-20" id="password" name="password" type="password" autocomplete="current-password" required></div>
      <button class="nhsuk-button" type="submit">Sign in</button>
    </form>`;
  document.getElementById('sign-in').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const r = await signIn(form.get('name'), form.get('password'));
    if (!r.ok) {
      const box = document.getElementById('sign-in-error');
      box.hidden = false;
      document.getElementById('sign-in-message').textContent = r.body?.message ?? 'Sign-in failed';
      box.focus();
      return;
    }
    if (!location.hash || location.hash === '#/sign-in') location.hash = '#/';
    await route();
    // As after a page load: the next Tab starts at the top of the page (skip link, then the menu).
    document.getElementById('top').focus();
  });
  document.getElementById('name').focus();
}

whenSignedOut(showSignIn);
onBacklog(updateBacklog);
onInbox((n) => {
  document.getElementById('inbox-count').textContent = n ? String(n) : '';
}); // no badge when nothing waits
window.addEventListener('hashchange', () => route().catch(() => {}));
document.getElementById('sign-out').addEventListener('click', async () => {
  await signOut();
  disconnectLive();
  showSignIn();
});
document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = String(new FormData(e.target).get('q') ?? '').trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});
route().catch(() => {});
