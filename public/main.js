// The OpenPTL dashboard: routing, sign-in and start-up. Each view is its own module (backlog.js,
// ptl.js, pathway.js, inbox.js); api.js talks to the server, live.js to /live, format.js holds the shared helpers.
import { signIn, signOut, vocabulary, whenSignedOut, whoAmI } from './api.js';
import { connectLive, disconnectLive, onBacklog, onInbox } from './live.js';
import { esc } from './format.js';
import { showBacklog, updateTiles } from './backlog.js';
import { showPtl } from './ptl.js';
import { showPathway } from './pathway.js';
import { showInbox } from './inbox.js';

const main = document.getElementById('main');

async function route() {
  const me = await whoAmI();
  if (!me) return showSignIn();
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  connectLive();
  vocabulary().catch(() => {}); // asked once after sign-in; the PTL waits for it
  const [path, query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  if (path.startsWith('/pathway/')) return showPathway(decodeURIComponent(path.slice('/pathway/'.length)));
  if (path === '/ptl') return showPtl(params);
  if (path === '/inbox') return showInbox();
  return showBacklog();
}

function showSignIn(message) {
  document.getElementById('nav').hidden = true;
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
    route();
  });
  document.getElementById('name').focus();
}

whenSignedOut(showSignIn);
onBacklog(updateTiles);
onInbox((n) => { document.getElementById('inbox-count').textContent = String(n); });
window.addEventListener('hashchange', () => route().catch(() => {}));
document.getElementById('sign-out').addEventListener('click', async () => {
  await signOut();
  disconnectLive();
  showSignIn();
});
route().catch(() => {});
