// The PTL work list: a dense, full-width table (15 or more patients on a 1366x768 screen), sorted
// on any column, filtered from the address (so "Back" restores the list), the views a tracker
// works from (due today or overdue, my patients, FDS overdue), bulk assignment, a CSV of exactly
// the filtered list and a print layout (app.css).
import { api, canRecord, currentUser, vocabulary } from './api.js';
import { bookingText, date, daysBadge, esc, label, nhsNumber, stageLabel } from './format.js';
import { confirm } from './forms.js';
import { rememberList } from './nav.js';
import { today } from './live.js';

const main = document.getElementById('main');
const QUERY_KEYS = [
  'tumourSite',
  'stage',
  'provider',
  'breached',
  'fdsOverdue',
  'needsReview',
  'nextActionDueBy',
  'assignee',
  'sort',
  'order',
];
const PAGE = 100;

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
  return (
    bands.find((b) => {
      const r = bandRange(b);
      return !r.maxDays && r.minDays === params.get('minDays');
    }) ?? ''
  );
}

/** The columns: key, heading, the sort it asks for (first click's order), and the cell. */
function columns(fds) {
  const due = (e) =>
    e.nextActionDue
      ? `<span class="${e.nextActionDue < e.asOf ? 'openptl-overdue' : ''}">${esc(date(e.nextActionDue))}</span>`
      : '';
  return [
    [
      'patientName',
      'Patient',
      'asc',
      (e) =>
        `<a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.patientName ?? 'Name not recorded')}</a>${e.needsReview ? ' <strong class="nhsuk-tag nhsuk-tag--orange" title="Kept history breaks a date check the rules now have">Needs review</strong>' : ''}`,
    ],
    ['nhsNumber', 'NHS number', 'asc', (e) => esc(nhsNumber(e.nhsNumber))],
    [
      'tumourSite',
      'Site',
      'asc',
      (e) => `<span title="${esc(label(e.tumourSite))}">${esc(label(e.tumourSite))}</span>`,
    ],
    ['stage', 'Stage', 'asc', (e) => `<span title="${esc(stageLabel(e.stage))}">${esc(stageLabel(e.stage))}</span>`],
    ['provider', 'Provider', 'asc', (e) => esc(e.provider ?? '')],
    fds
      ? ['fdsDue', 'FDS days', 'asc', (e) => daysBadge(e.fdsDays, 'data-fds-days')]
      : ['daysWaiting', 'Days', 'desc', (e) => daysBadge(e.daysWaiting)],
    fds
      ? ['fdsDue', 'FDS due', 'asc', (e) => esc(date(e.fdsDue))]
      : ['breachDate', 'Breach date', 'asc', (e) => esc(date(e.breachDate))],
    [
      'nextAction',
      'Next action',
      'asc',
      (e) => `<span title="${esc(e.nextAction ?? '')}">${esc(e.nextAction ?? '')}</span>`,
    ],
    ['nextActionDue', 'Due', 'asc', due],
    ['bookedOn', 'Booked', 'asc', (e) => esc(bookingText(e.booked))],
    [
      'commentOn',
      'Latest comment',
      'desc',
      (e) =>
        e.comment
          ? `<span title="${esc(`${date(e.comment.on)}: ${e.comment.text}`)}">${esc(e.comment.text)}</span>`
          : '',
    ],
    ['assignee', 'Tracker', 'asc', (e) => esc(e.assignee ?? '')],
  ];
}

/** Focus to restore once the list is shown again (the sort button pressed). */
let focusAfter = null;

export async function showPtl(params) {
  document.title = 'PTL – OpenPTL';
  rememberList(location.hash || '#/ptl');
  const { tumourSites, stages, bands, providers, trustName } = await vocabulary();
  const me = currentUser();
  const fds = params.get('fdsOverdue') === 'true';
  const band = bandOf(params, bands);
  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (params.get(key)) query.set(key, params.get(key));
  if (band) {
    const { minDays, maxDays } = bandRange(band);
    if (minDays) query.set('minDays', minDays);
    if (maxDays) query.set('maxDays', maxDays);
  } else if (params.get('minDays')) query.set('minDays', params.get('minDays'));
  const sort = params.get('sort') ?? 'daysWaiting';
  const order = params.get('order') ?? (sort === 'daysWaiting' || sort === 'commentOn' ? 'desc' : 'asc');
  const cols = columns(fds);
  const select = (name, text, options, value) =>
    `<div class="nhsuk-form-group"><label class="nhsuk-label" for="f-${name}">${text}</label><select class="nhsuk-select" id="f-${name}" name="${name}">${options.map(([v, t]) => `<option value="${esc(v)}" ${v === (value ?? '') ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select></div>`;
  const view = (text, href, on) =>
    `<a class="openptl-view" href="${href}" ${on ? 'aria-current="page"' : ''}>${text}</a>`;
  const plain = ![...params.keys()].some((k) => !['sort', 'order'].includes(k));
  const tracker = canRecord();
  const day = await today();
  const title = fds
    ? 'Faster diagnosis overdue'
    : params.get('nextActionDueBy') === 'today'
      ? 'Due today or overdue'
      : params.get('assignee') === me?.name
        ? 'My patients'
        : 'Patient tracking list';
  main.innerHTML = `
    <div class="openptl-print-header"><span>${esc(trustName ?? '')}</span><span>${esc(title)}, printed ${esc(date(day))}</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <div class="openptl-list-head">
      <h1 tabindex="-1">${esc(title)}</h1>
      <nav class="openptl-views" aria-label="PTL views">
        ${view('All open', '#/ptl', plain)}${view('Due today or overdue', '#/ptl?nextActionDueBy=today&sort=nextActionDue', params.get('nextActionDueBy') === 'today')}
        ${me ? view('My patients', `#/ptl?assignee=${encodeURIComponent(me.name)}`, params.get('assignee') === me.name) : ''}${view('FDS overdue', '#/ptl?fdsOverdue=true&sort=fdsDue', fds)}${view('Over 62 days', '#/ptl?breached=true', params.get('breached') === 'true')}
        <a class="openptl-view" href="#/mdt">Awaiting MDT</a>
      </nav>
      <div class="openptl-actions"><a class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="csv" href="/api/ptl/csv?${esc(query.toString())}" download>Download CSV</a>
        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" id="print">Print</button></div>
    </div>
    <form id="filters" class="openptl-filters" aria-label="Filters">
      ${select('tumourSite', 'Tumour site', [['', 'All'], ...tumourSites.map((s) => [s, label(s)])], params.get('tumourSite'))}
      ${select('stage', 'Stage', [['', 'All'], ...stages.map((s) => [s, stageLabel(s)])], params.get('stage'))}
      ${select('provider', 'Provider', [['', 'All'], ...providers.map((p) => [p, p])], (params.get('provider') ?? '').toUpperCase())}
      ${select('band', 'Days waiting', [['', 'Any'], ...bands.map((b) => [b, bandLabel(b)])], band)}
      ${select(
        'breached',
        'Over 62 days',
        [
          ['', 'Any'],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        params.get('breached'),
      )}
      ${select(
        'fdsOverdue',
        'FDS overdue',
        [
          ['', 'Any'],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        params.get('fdsOverdue'),
      )}
      ${select(
        'nextActionDueBy',
        'Next action',
        [
          ['', 'Any'],
          ['today', 'Due today or overdue'],
        ],
        params.get('nextActionDueBy') === 'today' ? 'today' : '',
      )}
      ${select(
        'needsReview',
        'Needs review',
        [
          ['', 'Any'],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        params.get('needsReview'),
      )}
      <input type="hidden" name="assignee" value="${esc(params.get('assignee') ?? '')}">
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Apply filters</button>
    </form>
    <div id="confirmation"></div>
    ${
      tracker
        ? `<form id="bulk" class="openptl-bulk" aria-label="Selected patients"><span id="selected-count">0 selected</span>
      <label class="nhsuk-label" for="bulk-assignee">Assign selected to</label><select class="nhsuk-select" id="bulk-assignee" name="assignee"><option value="">Choose a tracker…</option></select>
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Assign</button></form>`
        : ''
    }
    <div class="openptl-ptl-wrap"><table class="nhsuk-table openptl-ptl${fds ? ' openptl-ptl--fds' : ''}" id="ptl"><caption class="nhsuk-u-visually-hidden">${esc(title)}: open pathways, ${esc(sortCaption(cols, sort, order))}</caption>
      <thead class="nhsuk-table__head"><tr>${tracker ? '<th scope="col" class="openptl-col-select"><input type="checkbox" id="select-all" aria-label="Select every patient shown"></th>' : ''}${cols
        .map(([key, text, first], i) => {
          // In the FDS view both FDS columns sort on the FDS due date (the most days first).
          const sorted = sort === key;
          return `<th scope="col" class="openptl-col-${key} openptl-col-${i}" aria-sort="${sorted ? (order === 'desc' ? 'descending' : 'ascending') : 'none'}"><button type="button" data-sort="${key}" data-first="${first}">${text}${sorted ? (order === 'desc' ? ' ▼' : ' ▲') : ''}</button></th>`;
        })
        .join('')}</tr></thead><tbody></tbody></table></div>
    <p id="ptl-empty" hidden>No open pathways match these filters.</p>
    <p id="ptl-count" class="nhsuk-body-s"></p>
    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="more" hidden>Show more</button>`;

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
      next.set('order', sort === key ? (order === 'desc' ? 'asc' : 'desc') : b.dataset.first);
      focusAfter = `[data-sort="${key}"]`;
      location.hash = `#/ptl?${next}`;
    });
  }
  const tbody = main.querySelector('#ptl tbody');
  const more = document.getElementById('more');
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams(query);
    q.set('limit', String(PAGE));
    if (cursor) q.set('cursor', cursor);
    const { body } = await api('GET', `/api/ptl?${q}`);
    if (!body?.entries) return false;
    tbody.insertAdjacentHTML(
      'beforeend',
      body.entries
        .map(
          (e) =>
            `<tr class="nhsuk-table__row" data-pathway="${esc(e.pathwayId)}">${tracker ? `<td class="openptl-col-select"><input type="checkbox" name="pathway" value="${esc(e.pathwayId)}" aria-label="Select ${esc(e.patientName ?? e.pathwayId)}"></td>` : ''}${cols.map(([key, , , cell], i) => `<td class="openptl-col-${key} openptl-col-${i}">${cell({ ...e, asOf: body.asOf })}</td>`).join('')}</tr>`,
        )
        .join(''),
    );
    document.getElementById('ptl-empty').hidden = tbody.children.length > 0;
    document.getElementById('ptl-count').textContent =
      `${tbody.children.length} shown${body.nextCursor ? '; more below' : ''}.`;
    cursor = body.nextCursor;
    more.hidden = !cursor;
    return Boolean(cursor);
  };
  more.addEventListener('click', async () => {
    const first = tbody.children.length;
    await load();
    tbody.children[first]?.querySelector('a')?.focus();
  });
  document.getElementById('print').addEventListener('click', async () => {
    // The whole filtered list, not only the rows shown so far.
    while (cursor && tbody.children.length < 5000) await load();
    window.print();
  });
  if (tracker) wireBulk(tbody);
  await load();
  const again = focusAfter && main.querySelector(focusAfter);
  focusAfter = null;
  (again ?? main.querySelector('h1')).focus();
}

function sortCaption(cols, sort, order) {
  const col = cols.find(([key]) => key === sort);
  return col
    ? `sorted by ${col[1].toLowerCase()}, ${order === 'desc' ? 'descending' : 'ascending'}`
    : 'longest wait first';
}

async function wireBulk(tbody) {
  const form = document.getElementById('bulk');
  const count = document.getElementById('selected-count');
  const all = document.getElementById('select-all');
  const chosen = () => [...tbody.querySelectorAll('input[name="pathway"]:checked')].map((c) => c.value);
  const recount = () => {
    count.textContent = `${chosen().length} selected`;
  };
  tbody.addEventListener('change', recount);
  all.addEventListener('change', () => {
    for (const c of tbody.querySelectorAll('input[name="pathway"]')) c.checked = all.checked;
    recount();
  });
  const { body } = await api('GET', '/api/assignees');
  form
    .querySelector('select')
    .insertAdjacentHTML(
      'beforeend',
      `${body.assignees.map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('')}<option value="-">Nobody (unassign)</option>`,
    );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ids = chosen();
    const who = form.querySelector('select').value;
    const where = document.getElementById('confirmation');
    if (!ids.length || !who) {
      where.innerHTML = `<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="bulk-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${ids.length ? 'Choose a tracker to assign them to.' : 'Select the patients to assign first.'}</p></div>`;
      where.querySelector('#bulk-error').focus();
      return;
    }
    const assignee = who === '-' ? null : who;
    const r = await api('POST', '/api/assignments', { pathwayIds: ids, assignee });
    if (!r.ok) return;
    for (const id of ids) {
      const cell = tbody.querySelector(`tr[data-pathway="${CSS.escape(id)}"] .openptl-col-assignee`);
      if (cell) cell.textContent = assignee ?? '';
    }
    confirm(
      where,
      `${ids.length} ${ids.length === 1 ? 'patient' : 'patients'} ${assignee ? `assigned to ${assignee}` : 'unassigned'}.`,
    );
  });
}
