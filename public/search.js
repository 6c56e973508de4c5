// @ts-check
// Search results: patients found by NHS number or name, over open and closed pathways (a closed
// one, ruled out in error say, is reached from here).
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api } from './api.js';
import { date, draw, label, nhsNumber, sentence, stageLabel } from './format.js';

const main = document.getElementById('main');

/** @param {URLSearchParams} params */
export async function showSearch(params) {
  const q = params.get('q') ?? '';
  document.title = `Search: ${q} – OpenPTL`;
  const box = /** @type {HTMLInputElement | null} */ (document.getElementById('search-q'));
  if (box && box.value !== q) box.value = q;
  const { ok, body } = await api('GET', `/api/search?q=${encodeURIComponent(q)}`);
  /** @type {any[]} */
  const results = ok ? body.results : [];
  draw(
    main,
    html`<h1 tabindex="-1">Search results <span class="nhsuk-caption-m">for “${q}”</span></h1>
    ${ok ? nothing : html`<div class="nhsuk-error-summary" role="alert"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${sentence('', body?.message)}</p></div>`}
    ${ok && results.length === 0 ? html`<p id="no-results">${noneFound(q)}</p>` : nothing}
    ${
      results.length
        ? html`<table class="nhsuk-table openptl-compact" id="results"><caption class="nhsuk-table__caption">${results.length} ${results.length === 1 ? 'pathway' : 'pathways'}, open first</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Date of birth</th><th scope="col">Tumour site</th><th scope="col">Referred</th><th scope="col">Stage</th><th scope="col">Provider</th></tr></thead>
      <tbody>${results.map(
        (
          r,
        ) => html`<tr class="nhsuk-table__row" data-pathway="${r.pathwayId}"><td><a href="#/pathway/${encodeURIComponent(r.pathwayId)}">${r.patientName ?? 'Name not recorded'}</a></td><td class="openptl-nowrap">${nhsNumber(r.nhsNumber)}</td><td class="openptl-nowrap">${date(r.dateOfBirth)}</td>
        <td>${label(r.tumourSite)}</td><td class="openptl-nowrap">${date(r.referralOn)}</td><td>${stageLabel(r.stage)} ${r.status === 'closed' ? html`<strong class="nhsuk-tag nhsuk-tag--grey">Closed</strong>` : nothing}</td><td>${r.provider ?? ''}</td></tr>`,
      )}</tbody></table>`
        : nothing
    }`,
  );
  main?.querySelector('h1')?.focus();
}

/**
 * What a search that finds nobody says, naming what was looked for.
 * @param {string} q
 */
function noneFound(q) {
  const digits = q.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits)
    ? `No patient has the NHS number ${nhsNumber(digits)}.`
    : `No patient’s name matches “${q.trim()}”.`;
}
