// The PTL work list: filters (their lists from GET /api/vocabulary), sorting, keyset pagination.
import { api, vocabulary } from './api.js';
import { daysBadge, esc, label, nhsNumber } from './format.js';

const main = document.getElementById('main');
const QUERY_KEYS = ['tumourSite', 'stage', 'provider', 'breached', 'fdsOverdue', 'needsReview', 'nextActionDueBy', 'sort', 'order'];

/** A days-waiting band as the server names it: '29-62' → { minDays: '29', maxDays: '62' }, '105+' → { minDays: '105' }. */
function bandRange(band) {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(band);
  return m ? { minDays: m[1], maxDays: m[2] } : {};
}

function bandLabel(band) {
  const { minDays, maxDays } = bandRange(band);
  return maxDays ? `${minDays} to ${maxDays} days` : `${minDays} days or more`;
}

/**
 * The band the URL asks for. The backlog links with minDays=105 (no band), which is the open-ended
 * band; '105-' (what this page wrote before) and '105 ' (a typed '105+' decoded) mean '105+'.
 */
function bandOf(params, bands) {
  const band = (params.get('band') ?? '').replace(/^(\d+)[- ]$/, '$1+');
  if (band) return band;
  return bands.find((b) => { const r = bandRange(b); return !r.maxDays && r.minDays === params.get('minDays'); }) ?? '';
}

export async function showPtl(params) {
  document.title = 'PTL – OpenPTL';
  const { tumourSites, stages, bands } = await vocabulary();
  const band = bandOf(params, bands);
  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (params.get(key)) query.set(key, params.get(key));
  if (band) {
    const { minDays, maxDays } = bandRange(band);
    if (minDays) query.set('minDays', minDays);
    if (maxDays) query.set('maxDays', maxDays);
  } else if (params.get('minDays')) query.set('minDays', params.get('minDays'));
  query.set('limit', '50');
  const select = (name, text, options, value) => `<div class="nhsuk-form-group"><label class="nhsuk-label" for="f-${name}">${text}</label><select class="nhsuk-select" id="f-${name}" name="${name}">${options.map(([v, t]) => `<option value="${esc(v)}" ${v === (value ?? '') ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select></div>`;
  const sort = params.get('sort') ?? 'daysWaiting';
  const order = params.get('order') ?? (sort === 'daysWaiting' ? 'desc' : 'asc');
  const sortButton = (key, text) => `<button type="button" data-sort="${key}" aria-label="Sort by ${text}">${text}${sort === key ? (order === 'desc' ? ' ▼' : ' ▲') : ''}</button>`;
  main.innerHTML = `
    <h1>Patient tracking list${params.get('fdsOverdue') === 'true' ? ' <span class="nhsuk-caption-m">faster diagnosis overdue</span>' : ''}</h1>
    <form id="filters" class="openptl-filters">
      ${select('tumourSite', 'Tumour site', [['', 'All'], ...tumourSites.map((s) => [s, label(s)])], params.get('tumourSite'))}
      ${select('stage', 'Stage', [['', 'All'], ...stages.map((s) => [s, label(s)])], params.get('stage'))}
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f-provider">Provider</label><input class="nhsuk-input nhsuk-input--width-5" id="f-provider" name="provider" value="${esc(params.get('provider'))}"></div>
      ${select('band', 'Days waiting', [['', 'Any'], ...bands.map((b) => [b, bandLabel(b)])], band)}
      ${select('breached', 'Over 62 days', [['', 'Any'], ['true', 'Yes'], ['false', 'No']], params.get('breached'))}
      ${select('needsReview', 'Needs review', [['', 'Any'], ['true', 'Yes'], ['false', 'No']], params.get('needsReview'))}
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f-due">Next action due by</label><input class="nhsuk-input nhsuk-input--width-10" type="date" id="f-due" name="nextActionDueBy" value="${esc(params.get('nextActionDueBy'))}"></div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Apply filters</button>
    </form>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="ptl"><caption class="nhsuk-table__caption">Open pathways</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Pathway</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Stage</th><th scope="col">Provider</th>
      <th scope="col" aria-sort="${sort === 'daysWaiting' ? (order === 'desc' ? 'descending' : 'ascending') : 'none'}">${sortButton('daysWaiting', 'Days waiting')}</th>
      <th scope="col" aria-sort="${sort === 'breachDate' ? (order === 'desc' ? 'descending' : 'ascending') : 'none'}">${sortButton('breachDate', 'Breach date')}</th>
      <th scope="col">Next action</th><th scope="col">Due</th></tr></thead><tbody></tbody></table></div>
    <p id="ptl-empty" hidden>No open pathways match these filters.</p>
    <button class="nhsuk-button nhsuk-button--secondary" id="more" hidden>Show more</button>`;
  document.getElementById('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (v) next.set(k, String(v));
    if (params.get('sort')) next.set('sort', params.get('sort'));
    if (params.get('order')) next.set('order', params.get('order'));
    location.hash = `#/ptl?${next}`;
  });
  for (const b of main.querySelectorAll('[data-sort]')) {
    b.addEventListener('click', () => {
      const next = new URLSearchParams(params);
      const key = b.dataset.sort;
      next.set('sort', key);
      next.set('order', sort === key ? (order === 'desc' ? 'asc' : 'desc') : key === 'daysWaiting' ? 'desc' : 'asc');
      location.hash = `#/ptl?${next}`;
    });
  }
  const tbody = main.querySelector('#ptl tbody');
  const more = document.getElementById('more');
  const load = async (cursor) => {
    if (cursor) query.set('cursor', cursor);
    const { body } = await api('GET', `/api/ptl?${query}`);
    if (!body?.entries) return;
    tbody.insertAdjacentHTML('beforeend', body.entries.map((e) => `<tr class="nhsuk-table__row" data-pathway="${esc(e.pathwayId)}">
      <td class="nhsuk-table__cell"><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.pathwayId.slice(0, 12))}</a>${e.needsReview ? ' <strong class="nhsuk-tag nhsuk-tag--orange" title="Kept history breaks a date check the rules now have">Needs review</strong>' : ''}</td>
      <td class="nhsuk-table__cell">${esc(nhsNumber(e.nhsNumber))}</td>
      <td class="nhsuk-table__cell">${esc(label(e.tumourSite))}</td><td class="nhsuk-table__cell">${esc(label(e.stage))}</td><td class="nhsuk-table__cell">${esc(e.provider)}</td>
      <td class="nhsuk-table__cell">${daysBadge(e.daysWaiting)}</td><td class="nhsuk-table__cell">${esc(e.breachDate)}</td>
      <td class="nhsuk-table__cell">${esc(e.nextAction)}</td><td class="nhsuk-table__cell">${esc(e.nextActionDue)}</td></tr>`).join(''));
    document.getElementById('ptl-empty').hidden = tbody.children.length > 0;
    more.hidden = !body.nextCursor;
    more.onclick = () => load(body.nextCursor);
  };
  await load();
}
