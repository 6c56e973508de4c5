// Search results: patients found by NHS number or name, over open and closed pathways (a closed
// one, ruled out in error say, is reached from here).
import { api } from './api.js';
import { date, esc, label, nhsNumber, sentence, stageLabel } from './format.js';

const main = document.getElementById('main');

export async function showSearch(params) {
  const q = params.get('q') ?? '';
  document.title = `Search: ${q} – OpenPTL`;
  const box = document.getElementById('search-q');
  if (box && box.value !== q) box.value = q;
  const { ok, body } = await api('GET', `/api/search?q=${encodeURIComponent(q)}`);
  const results = ok ? body.results : [];
  main.innerHTML = `<h1 tabindex="-1">Search results <span class="nhsuk-caption-m">for “${esc(q)}”</span></h1>
    ${ok ? '' : `<div class="nhsuk-error-summary" role="alert"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${esc(sentence('', body?.message))}</p></div>`}
    ${ok && results.length === 0 ? '<p id="no-results">No patient has that NHS number or name.</p>' : ''}
    ${
      results.length
        ? `<table class="nhsuk-table openptl-compact" id="results"><caption class="nhsuk-table__caption">${results.length} ${results.length === 1 ? 'pathway' : 'pathways'}, open first</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Date of birth</th><th scope="col">Tumour site</th><th scope="col">Referred</th><th scope="col">Stage</th><th scope="col">Provider</th></tr></thead>
      <tbody>${results
        .map(
          (
            r,
          ) => `<tr class="nhsuk-table__row" data-pathway="${esc(r.pathwayId)}"><td><a href="#/pathway/${encodeURIComponent(r.pathwayId)}">${esc(r.patientName ?? 'Name not recorded')}</a></td><td class="openptl-nowrap">${esc(nhsNumber(r.nhsNumber))}</td><td class="openptl-nowrap">${esc(date(r.dateOfBirth))}</td>
        <td>${esc(label(r.tumourSite))}</td><td class="openptl-nowrap">${esc(date(r.referralOn))}</td><td>${esc(stageLabel(r.stage))} ${r.status === 'closed' ? '<strong class="nhsuk-tag nhsuk-tag--grey">Closed</strong>' : ''}</td><td>${esc(r.provider ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
        : ''
    }`;
  main.querySelector('h1').focus();
}
