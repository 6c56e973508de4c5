// The Users page (admins): who may sign in and with what role; disable, enable, reset a password;
// API tokens listed (never their secrets), made (the secret shown once) and revoked. Every change
// takes effect at once: a disabled user's sessions end and their live connection closes.
import { api, currentUser } from './api.js';
import { dateTime, esc } from './format.js';

const main = document.getElementById('main');
const ROLES = ['viewer', 'tracker', 'admin'];

export async function showUsers(notice) {
  document.title = 'Users – OpenPTL';
  if (currentUser()?.role !== 'admin') {
    main.innerHTML = '<h1>Users</h1><p>Only admins can manage users.</p>';
    return;
  }
  const [users, tokens] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/tokens')]);
  const roleSelect = (id, value) =>
    `<select class="nhsuk-select" id="${id}" name="role">${ROLES.map((r) => `<option value="${r}" ${r === value ? 'selected' : ''}>${r}</option>`).join('')}</select>`;
  main.innerHTML = `
    <h1>Users</h1>
    <div id="users-notice">${notice ?? ''}</div>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="users"><caption class="nhsuk-table__caption">People who can sign in</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Added</th><th scope="col">Change</th></tr></thead>
      <tbody>${users.body
        .map(
          (u) => `<tr class="nhsuk-table__row" data-user="${esc(u.name)}">
        <td class="nhsuk-table__cell">${esc(u.name)}</td>
        <td class="nhsuk-table__cell"><label class="nhsuk-u-visually-hidden" for="role-${esc(u.userId)}">Role of ${esc(u.name)}</label>${roleSelect(`role-${esc(u.userId)}`, u.role)}</td>
        <td class="nhsuk-table__cell" data-field="status">${u.disabled ? '<strong class="nhsuk-tag nhsuk-tag--grey">Disabled</strong>' : 'Active'}</td>
        <td class="nhsuk-table__cell">${esc(dateTime(u.createdAt))}</td>
        <td class="nhsuk-table__cell openptl-actions">
          <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-action="${u.disabled ? 'enable' : 'disable'}">${u.disabled ? 'Enable' : 'Disable'}<span class="nhsuk-u-visually-hidden"> ${esc(u.name)}</span></button>
        </td></tr>`,
        )
        .join('')}</tbody></table></div>
    <h2>Add a user</h2>
    <form id="add-user" class="openptl-filters" novalidate>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-name">Name</label><input class="nhsuk-input nhsuk-input--width-10" id="new-name" name="name" autocomplete="off" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-role">Role</label>${roleSelect('new-role', 'viewer')}</div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-password">Password (at least 12 characters)</label><input class="nhsuk-input nhsuk-input--width-20" id="new-password" name="password" type="password" autocomplete="new-password" required></div>
      <button class="nhsuk-button" type="submit">Add user</button>
    </form>
    <h2>Reset a password</h2>
    <form id="reset-password" class="openptl-filters" novalidate>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="reset-user">User</label><select class="nhsuk-select" id="reset-user" name="user">${users.body.map((u) => `<option value="${esc(u.name)}">${esc(u.name)}</option>`).join('')}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="reset-password-value">New password (their sessions end)</label><input class="nhsuk-input nhsuk-input--width-20" id="reset-password-value" name="password" type="password" autocomplete="new-password" required></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Reset password</button>
    </form>
    <h2>API tokens</h2>
    <p>Scripts sign in with a token. It expires, and it stops working as soon as it is revoked or its user is disabled.</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="tokens"><caption class="nhsuk-table__caption">Tokens (secrets are never shown again)</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Id</th><th scope="col">User</th><th scope="col">Label</th><th scope="col">Made</th><th scope="col">Expires</th><th scope="col"></th></tr></thead>
      <tbody>${tokens.body
        .map(
          (t) => `<tr class="nhsuk-table__row" data-token="${esc(t.tokenId)}">
        <td class="nhsuk-table__cell">${esc(t.tokenId)}</td><td class="nhsuk-table__cell">${esc(t.user)}</td><td class="nhsuk-table__cell">${esc(t.label ?? '')}</td>
        <td class="nhsuk-table__cell">${esc(dateTime(t.createdAt))}</td><td class="nhsuk-table__cell">${t.expired ? '<strong class="nhsuk-tag nhsuk-tag--grey">Expired</strong>' : esc(dateTime(t.expiresAt))}</td>
        <td class="nhsuk-table__cell"><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-revoke="${esc(t.tokenId)}">Revoke<span class="nhsuk-u-visually-hidden"> token ${esc(t.tokenId)}</span></button></td></tr>`,
        )
        .join('')}</tbody></table></div>
    <form id="add-token" class="openptl-filters" novalidate>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-user">User</label><select class="nhsuk-select" id="token-user" name="user">${users.body
        .filter((u) => !u.disabled)
        .map((u) => `<option value="${esc(u.name)}">${esc(u.name)}</option>`)
        .join('')}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-days">Days until it expires</label><input class="nhsuk-input nhsuk-input--width-3" id="token-days" name="days" inputmode="numeric" value="90"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-label">What it is for (optional)</label><input class="nhsuk-input nhsuk-input--width-20" id="token-label" name="label"></div>
      <button class="nhsuk-button" type="submit">Make token</button>
    </form>`;

  const problem = (r) =>
    `<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="users-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${esc(r.body?.message ?? `The server refused this (${r.status})`)}</p></div>`;
  const done = (r, message) =>
    showUsers(r.ok ? `<div class="nhsuk-inset-text" id="users-done"><p>${esc(message)}</p></div>` : problem(r)).then(
      () => document.getElementById('users-error')?.focus(),
    );
  const change = (name, body, message) =>
    api('PATCH', `/api/users/${encodeURIComponent(name)}`, body).then((r) => done(r, message));

  for (const row of main.querySelectorAll('tr[data-user]')) {
    const name = row.dataset.user;
    row
      .querySelector('select')
      .addEventListener('change', (e) => change(name, { role: e.target.value }, `${name} is now a ${e.target.value}.`));
    row
      .querySelector('[data-action="disable"]')
      ?.addEventListener('click', () =>
        change(name, { disabled: true }, `${name} is disabled: their sessions have ended.`),
      );
    row
      .querySelector('[data-action="enable"]')
      ?.addEventListener('click', () => change(name, { disabled: false }, `${name} can sign in again.`));
  }
  for (const button of main.querySelectorAll('[data-revoke]')) {
    button.addEventListener('click', () =>
      api('DELETE', `/api/tokens/${button.dataset.revoke}`).then((r) =>
        done(r, `Token ${button.dataset.revoke} is revoked.`),
      ),
    );
  }
  document.getElementById('reset-password').addEventListener('submit', (e) => {
    e.preventDefault();
    const { user, password } = Object.fromEntries(new FormData(e.target));
    change(user, { password }, `${user}'s password is changed: they sign in again with it.`);
  });
  document.getElementById('add-user').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = Object.fromEntries(new FormData(e.target));
    const r = await api('POST', '/api/users', form);
    done(r, `${form.name} is added as a ${form.role}.`);
  });
  document.getElementById('add-token').addEventListener('submit', async (e) => {
    e.preventDefault();
    const { user, days, label } = Object.fromEntries(new FormData(e.target));
    const r = await api('POST', '/api/tokens', { user, days: Number(days), ...(label ? { label } : {}) });
    if (!r.ok) return done(r);
    await showUsers(
      `<div class="nhsuk-inset-text" id="new-token"><p>Token ${esc(r.body.tokenId)} for ${esc(r.body.user)}, expires ${esc(dateTime(r.body.expiresAt))}. Copy it now: it is not shown again.</p><p><code id="new-token-secret">${esc(r.body.token)}</code></p></div>`,
    );
  });
}
