// @ts-check
// The Users page (admins): who may sign in, with what role and seeing which providers (issue #25:
// a user given providers sees and changes only the pathways those providers have held); disable,
// enable, reset a password;
// API tokens listed (never their secrets), made (the secret shown once) and revoked. Every change
// takes effect at once: a disabled user's sessions end and their live connection closes.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, currentUser } from './api.js';
import { dateTime, draw } from './format.js';
import { onSubmit } from './forms.js';

const main = document.getElementById('main');
// As src/auth/roles.ts: a viewer sees counts only; a steward patient lists too, read only.
const ROLES = ['viewer', 'steward', 'tracker', 'mdt_coordinator', 'data_manager', 'admin'];

/**
 * Providers as typed ("RAJ, rq8"): ODS codes, upper-cased; null when blank (every provider).
 * @param {string} text
 */
const providersOf = (text) => {
  const codes = text
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  return codes.length ? codes : null;
};

/**
 * The page, with the outcome of the last change above the list when there is one.
 * @param {unknown} notice a template: what was done, or why it was refused
 */
export async function showUsers(notice = nothing) {
  document.title = 'Users – OpenPTL';
  if (currentUser()?.role !== 'admin') {
    draw(main, html`<h1>Users</h1><p>Only admins can manage users.</p>`);
    return;
  }
  const [usersAnswer, tokensAnswer] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/tokens')]);
  /** @type {any[]} */
  const users = usersAnswer.body;
  /** @type {any[]} */
  const tokens = tokensAnswer.body;
  /** @param {string} id @param {string} value @param {((e: Event) => void) | typeof nothing} onChange */
  const roleSelect = (id, value, onChange = nothing) =>
    html`<select class="nhsuk-select" id="${id}" name="role" @change=${onChange}>${ROLES.map((r) => html`<option value="${r}" ?selected=${r === value}>${r}</option>`)}</select>`;
  /** @param {{ ok: boolean, status: number, body: any }} r */
  const problem = (r) =>
    html`<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="users-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${r.body?.message ?? `The server refused this (${r.status})`}</p></div>`;
  /** @param {{ ok: boolean, status: number, body: any }} r @param {string} [message] */
  const done = (r, message) =>
    showUsers(r.ok ? html`<div class="nhsuk-inset-text" id="users-done"><p>${message}</p></div>` : problem(r)).then(
      () => document.getElementById('users-error')?.focus(),
    );
  /** @param {string} name @param {object} body @param {string} message */
  const change = (name, body, message) =>
    api('PATCH', `/api/users/${encodeURIComponent(name)}`, body).then((r) => done(r, message));
  /** @param {string} tokenId */
  const revoke = (tokenId) =>
    api('DELETE', `/api/tokens/${tokenId}`).then((r) => done(r, `Token ${tokenId} is revoked.`));
  /** @param {HTMLFormElement} form */
  const formValues = (form) => /** @type {Record<string, string>} */ (Object.fromEntries(new FormData(form)));
  const addUser = async (/** @type {HTMLFormElement} */ form) => {
    const { providers, ...values } = formValues(form);
    const scope = providersOf(providers ?? '');
    const r = await api('POST', '/api/users', { ...values, ...(scope ? { providers: scope } : {}) });
    done(r, `${values.name} is added as a ${values.role}.`);
  };
  const addToken = async (/** @type {HTMLFormElement} */ form) => {
    const { user, days, label } = formValues(form);
    const r = await api('POST', '/api/tokens', { user, days: Number(days), ...(label ? { label } : {}) });
    if (!r.ok) return done(r);
    await showUsers(
      html`<div class="nhsuk-inset-text" id="new-token" tabindex="-1"><p>Token ${r.body.tokenId} for ${r.body.user}, expires ${dateTime(r.body.expiresAt)}. Copy it now: it is not shown again.</p><p><code id="new-token-secret">${r.body.token}</code></p></div>`,
    );
    // The secret is at the top of the page, the form at its foot: focus (and the view) go to it (#28).
    document.getElementById('new-token')?.focus();
  };
  /**
   * A role change is asked to be confirmed, beside the list: what changes, for whom (#28).
   * @param {any} u @param {HTMLSelectElement} select
   */
  const askRole = (u, select) => {
    const role = select.value;
    const cancel = () => {
      select.value = u.role;
      draw(document.getElementById('users-notice'), nothing);
      select.focus();
    };
    draw(
      document.getElementById('users-notice'),
      html`<div class="nhsuk-warning-callout" id="confirm-role" tabindex="-1" role="alertdialog" aria-labelledby="confirm-role-text"><p id="confirm-role-text">Change ${u.name} from ${u.role} to ${role}? ${role === 'admin' ? 'An admin manages users and tokens.' : u.role === 'admin' ? `${u.name} will no longer manage users and tokens.` : ''}</p>
      <button class="nhsuk-button nhsuk-button--small" type="button" id="confirm-role-yes" @click=${() => change(u.name, { role }, `${u.name} is now a ${role}.`)}>Change role</button>
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" id="confirm-role-no" @click=${cancel}>Cancel</button></div>`,
    );
    document.getElementById('confirm-role')?.focus();
  };
  draw(
    main,
    html`
    <h1>Users</h1>
    <div id="users-notice">${notice}</div>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="users"><caption class="nhsuk-table__caption">People who can sign in</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Providers</th><th scope="col">Status</th><th scope="col">Added</th><th scope="col">Change</th></tr></thead>
      <tbody>${users.map(
        (u) => html`<tr class="nhsuk-table__row ${u.disabled ? 'openptl-row--disabled' : ''}" data-user="${u.name}">
        <td class="nhsuk-table__cell">${u.name}${u.disabled ? html` <strong class="nhsuk-tag nhsuk-tag--grey" data-disabled>Disabled: cannot sign in</strong>` : nothing}</td>
        <td class="nhsuk-table__cell"><label class="nhsuk-u-visually-hidden" for="role-${u.userId}">Role of ${u.name}</label>${roleSelect(
          `role-${u.userId}`,
          u.role,
          (e) => askRole(u, /** @type {HTMLSelectElement} */ (e.currentTarget)),
        )}</td>
        <td class="nhsuk-table__cell" data-field="providers"><form class="openptl-inline-form" novalidate @submit=${onSubmit(
          (form) => {
            const scope = providersOf(formValues(form).providers ?? '');
            change(u.name, { providers: scope }, `${u.name} now sees ${scope ? scope.join(', ') : 'every provider'}.`);
          },
        )}><label class="nhsuk-u-visually-hidden" for="providers-${u.userId}">Providers ${u.name} sees (blank: all)</label><input class="nhsuk-input nhsuk-input--width-10" id="providers-${u.userId}" name="providers" value="${u.providers?.join(', ') ?? ''}" placeholder="all" ?disabled=${u.role === 'admin'}><button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" ?hidden=${u.role === 'admin'}>Set<span class="nhsuk-u-visually-hidden"> providers of ${u.name}</span></button></form></td>
        <td class="nhsuk-table__cell" data-field="status">${u.disabled ? html`<strong class="nhsuk-tag nhsuk-tag--grey">Disabled</strong>` : 'Active'}</td>
        <td class="nhsuk-table__cell">${dateTime(u.createdAt)}</td>
        <td class="nhsuk-table__cell openptl-actions">
          <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-action="${u.disabled ? 'enable' : 'disable'}" @click=${() =>
            u.disabled
              ? change(u.name, { disabled: false }, `${u.name} can sign in again.`)
              : change(
                  u.name,
                  { disabled: true },
                  `${u.name} is disabled: their sessions have ended.`,
                )}>${u.disabled ? 'Enable' : 'Disable'}<span class="nhsuk-u-visually-hidden"> ${u.name}</span></button>
        </td></tr>`,
      )}</tbody></table></div>
    <h2>Add a user</h2>
    <form id="add-user" class="openptl-filters" novalidate @submit=${onSubmit(addUser)}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-name">Name</label><input class="nhsuk-input nhsuk-input--width-10" id="new-name" name="name" autocomplete="off" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-role">Role</label>${roleSelect('new-role', 'steward')}</div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-providers">Providers they see (ODS codes, blank: all)</label><input class="nhsuk-input nhsuk-input--width-10" id="new-providers" name="providers" autocomplete="off" placeholder="RAJ, RQ8"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="new-password">Password (at least 12 characters)</label><input class="nhsuk-input nhsuk-input--width-20" id="new-password" name="password" type="password" autocomplete="new-password" required></div>
      <button class="nhsuk-button" type="submit">Add user</button>
    </form>
    <h2>Reset a password</h2>
    <form id="reset-password" class="openptl-filters" novalidate @submit=${onSubmit((form) => {
      const { user, password } = formValues(form);
      change(user ?? '', { password }, `${user}'s password is changed: they sign in again with it.`);
    })}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="reset-user">User</label><select class="nhsuk-select" id="reset-user" name="user">${users.map((u) => html`<option value="${u.name}">${u.name}</option>`)}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="reset-password-value">New password (their sessions end)</label><input class="nhsuk-input nhsuk-input--width-20" id="reset-password-value" name="password" type="password" autocomplete="new-password" required></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Reset password</button>
    </form>
    <h2>API tokens</h2>
    <p>Scripts sign in with a token. It expires, and it stops working as soon as it is revoked or its user is disabled.</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="tokens"><caption class="nhsuk-table__caption">Tokens (secrets are never shown again)</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Id</th><th scope="col">User</th><th scope="col">Label</th><th scope="col">Made</th><th scope="col">Expires</th><th scope="col"></th></tr></thead>
      <tbody>${tokens.map(
        (t) => html`<tr class="nhsuk-table__row" data-token="${t.tokenId}">
        <td class="nhsuk-table__cell">${t.tokenId}</td><td class="nhsuk-table__cell">${t.user}</td><td class="nhsuk-table__cell">${t.label ?? ''}</td>
        <td class="nhsuk-table__cell">${dateTime(t.createdAt)}</td><td class="nhsuk-table__cell">${t.expired ? html`<strong class="nhsuk-tag nhsuk-tag--grey">Expired</strong>` : dateTime(t.expiresAt)}</td>
        <td class="nhsuk-table__cell"><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-revoke="${t.tokenId}" @click=${() => revoke(t.tokenId)}>Revoke<span class="nhsuk-u-visually-hidden"> token ${t.tokenId}</span></button></td></tr>`,
      )}</tbody></table></div>
    <form id="add-token" class="openptl-filters" novalidate @submit=${onSubmit(addToken)}>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-user">User</label><select class="nhsuk-select" id="token-user" name="user">${users
        .filter((u) => !u.disabled)
        .map((u) => html`<option value="${u.name}">${u.name}</option>`)}</select></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-days">Days until it expires</label><input class="nhsuk-input nhsuk-input--width-3" id="token-days" name="days" inputmode="numeric" value="90"></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="token-label">What it is for (optional)</label><input class="nhsuk-input nhsuk-input--width-20" id="token-label" name="label"></div>
      <button class="nhsuk-button" type="submit">Make token</button>
    </form>`,
  );
}
