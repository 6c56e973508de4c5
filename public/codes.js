// @ts-check
// The Code lists page (issue #28; admins today, data managers in the new roles): the codes the
// trust keeps for the national CWT record, each label corrected and each provisional code
// confirmed here, not only with `openptl codes`. A change is kept with who made it (Audit).
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, can } from './api.js';
import { draw, sentence } from './format.js';
import { confirm, showProblem } from './forms.js';

const main = document.getElementById('main');

/** @type {Record<string, string>} the trust-kept lists' names in words */
const LIST_WORDS = {
  delay_reason: 'Delay reason',
  fds_exclusion_reason: 'Faster diagnosis exclusion reason',
  fds_communication_method: 'Faster diagnosis communication method',
  fds_informing_professional: 'Faster diagnosis informing professional',
  two_week_wait_type: 'Two week wait type',
  patient_status: 'Patient status',
  adjustment_reason_treatment: 'Adjustment reason (treatment)',
  canptl_section: 'Cancer PTL section',
  canptl_route: 'Cancer PTL route',
  canptl_tumour_type: 'Cancer PTL tumour type',
};

/** A list's name in words: "two_week_wait_type" → "Two week wait type". */
export const listWords = (/** @type {string} */ list) =>
  LIST_WORDS[list] ?? list.charAt(0).toUpperCase() + list.slice(1).replaceAll('_', ' ');

/** @param {URLSearchParams} params */
export async function showCodes(params) {
  document.title = 'Code lists – OpenPTL';
  if (!can('code_lists')) {
    draw(
      main,
      html`<h1 tabindex="-1">Code lists</h1><p>Only data managers and admins can correct the trust's code lists.</p>`,
    );
    return;
  }
  const { ok, body } = await api('GET', '/api/code-lists');
  if (!ok) return;
  const provisionalOnly = params.get('unconfirmed') === 'true';
  /** @type {string[]} */
  const lists = body.trustLists.filter((/** @type {string} */ l) => body.lists[l]?.length);
  /** @param {string} list @param {any} c */
  const row = (list, c) => {
    const id = `code-${list}-${c.code}`;
    return html`<tr class="nhsuk-table__row" data-code="${list} ${c.code}"><th scope="row">${c.code}</th>
      <td><label class="nhsuk-u-visually-hidden" for="${id}-label">Label for ${listWords(list)} ${c.code}</label><input class="nhsuk-input" id="${id}-label" value="${c.label}" maxlength="200"></td>
      <td><div class="nhsuk-checkboxes__item openptl-inline-check"><input class="nhsuk-checkboxes__input" type="checkbox" id="${id}-confirmed" ?checked=${c.confirmed}><label class="nhsuk-label nhsuk-checkboxes__label" for="${id}-confirmed">Confirmed<span class="nhsuk-u-visually-hidden"> ${listWords(list)} ${c.code}</span></label></div>
        ${c.confirmed ? nothing : html`<strong class="nhsuk-tag nhsuk-tag--orange">Provisional</strong>`}</td>
      <td><button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" @click=${() => save(list, c.code, id)}>Save<span class="nhsuk-u-visually-hidden"> ${listWords(list)} ${c.code}</span></button></td></tr>`;
  };
  draw(
    main,
    html`<h1 tabindex="-1">Code lists</h1>
    <p>The codes the trust keeps for the national Cancer Waiting Times record. A provisional code is not yet checked against the DCB0147 specification: check it, correct its words if need be, and mark it confirmed. Each change is kept with who made it.</p>
    <p>${provisionalOnly ? html`Showing provisional codes only. <a href="#/codes">Show every code</a>` : html`<a href="#/codes?unconfirmed=true">Show provisional codes only</a>`}</p>
    <div id="code-result"></div>
    ${lists.map((list) => {
      const codes = body.lists[list].filter((/** @type {any} */ c) => !provisionalOnly || !c.confirmed);
      return codes.length
        ? html`<table class="nhsuk-table openptl-compact openptl-codes" id="list-${list}"><caption class="nhsuk-table__caption">${listWords(list)}</caption>
        <thead class="nhsuk-table__head"><tr><th scope="col">Code</th><th scope="col">Label</th><th scope="col">Checked</th><th scope="col"><span class="nhsuk-u-visually-hidden">Save</span></th></tr></thead>
        <tbody>${codes.map((/** @type {any} */ c) => row(list, c))}</tbody></table>`
        : nothing;
    })}`,
  );
  main?.querySelector('h1')?.focus();
}

/**
 * Saves one code's label and confirmation; the outcome above the lists, focus moved to it.
 * @param {string} list @param {string} code @param {string} id
 */
async function save(list, code, id) {
  const label = /** @type {HTMLInputElement | null} */ (document.getElementById(`${id}-label`))?.value ?? '';
  const confirmed = /** @type {HTMLInputElement | null} */ (document.getElementById(`${id}-confirmed`))?.checked;
  const where = document.getElementById('code-result');
  const r = await api('PATCH', `/api/code-lists/${encodeURIComponent(list)}/${encodeURIComponent(code)}`, {
    label,
    confirmed,
  });
  if (!r.ok) return showProblem(where, sentence(`${listWords(list)} ${code}`, r.body?.message), 'code-error');
  confirm(
    where,
    `${listWords(list)} ${code} saved: “${r.body.label}”, ${r.body.confirmed ? 'confirmed' : 'provisional'}.`,
    'code-saved',
  );
}
