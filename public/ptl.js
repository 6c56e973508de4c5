// @ts-check
// The PTL work list: a dense, full-width table (15 or more patients on a 1366x768 screen), sorted
// on any column, filtered from the address (so "Back" restores the list), the views a tracker
// works from (due today or overdue, my patients, FDS overdue), bulk assignment, a CSV of exactly
// the filtered list and a print layout (app.css).
import { html, nothing, render } from '/vendor/lit-html/lit-html.js';
import { api, canRecord, currentUser, vocabulary } from './api.js';
import {
  bookingText,
  date,
  daysBadge,
  draw,
  focusFirst,
  label,
  milestoneTag,
  nhsNumber,
  stageLabel,
  updateRows,
} from './format.js';
import { choices, confirm, onSubmit, options, showProblem } from './forms.js';
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
  'milestone', // issue #26
  'screeningProgramme',
  'deprivationQuintile', // issue #27
  'breachWithin', // issue #28: due to breach in the next 7 or 14 days
  'sort',
  'order',
];
const PAGE = 100;
/** @type {[string, string][]} issue #27: the quintile of the patient's postcode in the trust's lookup */
const DEPRIVATION = [
  ['', 'Any'],
  ['1', '1: most deprived (Core20)'],
  ['2', '2'],
  ['3', '3'],
  ['4', '4'],
  ['5', '5: least deprived'],
  ['not_known', 'Not known'],
];

/**
 * A days-waiting band as the server names it: '29-62' → { minDays: '29', maxDays: '62' }, '105+' → { minDays: '105' }.
 * @param {string} band
 */
function bandRange(band) {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(band);
  return m ? { minDays: m[1], maxDays: m[2] } : {};
}

/** @param {string} band */
function bandLabel(band) {
  const { minDays, maxDays } = bandRange(band);
  return maxDays ? `${minDays} to ${maxDays} days` : `${minDays} days or more`;
}

/**
 * The band the URL asks for. The backlog links with minDays=105 (no band), which is the open-ended
 * band; '105-' (what this page wrote before) and '105 ' (a typed '105+' decoded) mean '105+'.
 * @param {URLSearchParams} params
 * @param {string[]} bands
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

/**
 * The columns: key, heading, the sort it asks for (first click's order), and the cell.
 * @param {boolean} fds
 * @returns {[string, string, string, (e: any) => unknown][]}
 */
function columns(fds) {
  const due = (/** @type {any} */ e) =>
    e.nextActionDue
      ? html`<span class="${e.nextActionDue < e.asOf ? 'openptl-overdue' : ''}">${date(e.nextActionDue)}</span>`
      : '';
  /** @param {string} text */
  const titled = (text) => html`<span title="${text}">${text}</span>`;
  return [
    [
      'patientName',
      'Patient',
      'asc',
      (e) =>
        html`<a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${e.patientName ?? 'Name not recorded'}</a>${e.needsReview ? html` <strong class="nhsuk-tag nhsuk-tag--orange" title="Kept history breaks a date check the rules now have">Needs review</strong>` : ''}`,
    ],
    ['nhsNumber', 'NHS number', 'asc', (e) => nhsNumber(e.nhsNumber)],
    ['tumourSite', 'Site', 'asc', (e) => titled(label(e.tumourSite))],
    ['stage', 'Stage', 'asc', (e) => titled(stageLabel(e.stage))],
    ['provider', 'Provider', 'asc', (e) => e.provider ?? ''],
    fds
      ? ['fdsDue', 'FDS days', 'asc', (e) => daysBadge(e.fdsDays, true)]
      : ['daysWaiting', 'Days', 'desc', (e) => daysBadge(e.daysWaiting)],
    fds
      ? ['fdsDue', 'FDS due', 'asc', (e) => date(e.fdsDue)]
      : ['breachDate', 'Breach date', 'asc', (e) => date(e.breachDate)],
    ['nextAction', 'Next action', 'asc', (e) => (e.nextAction ? titled(e.nextAction) : '')],
    ['nextActionDue', 'Due', 'asc', due],
    // issue #26: the timed pathway's next milestone, red (late), amber (at risk) or green (due)
    [
      'milestoneDue',
      'Next milestone',
      'asc',
      (e) =>
        e.milestone
          ? html`${milestoneTag(e.milestone.status)} <span title="${`${e.milestone.name}, due by ${date(e.milestone.dueOn)}`}">${e.milestone.name}</span>`
          : '',
    ],
    ['bookedOn', 'Booked', 'asc', (e) => bookingText(e.booked)],
    [
      'commentOn',
      'Latest comment',
      'desc',
      (e) =>
        e.comment ? html`<span title="${`${date(e.comment.on)}: ${e.comment.text}`}">${e.comment.text}</span>` : '',
    ],
    ['assignee', 'Tracker', 'asc', (e) => e.assignee ?? ''],
    // issue #23: the chance of passing 62 days, from the latest day's forecast
    [
      'breachRisk',
      'Breach risk',
      'desc',
      (e) =>
        e.breachRisk
          ? html`<span data-risk="${e.breachRisk.over62}">${Math.round(e.breachRisk.over62 * 100)}%</span>`
          : '',
    ],
  ];
}

/** Focus to restore once the list is shown again (the sort button pressed). */
let focusAfter = '';

/** @param {URLSearchParams} params */
export async function showPtl(params) {
  document.title = 'PTL – OpenPTL';
  rememberList(location.hash || '#/ptl');
  const { tumourSites, stages, bands, providers, trustName, screeningProgrammes } = await vocabulary();
  const me = currentUser();
  const fds = params.get('fdsOverdue') === 'true';
  const band = bandOf(params, bands);
  const query = new URLSearchParams();
  /** @param {URLSearchParams} to @param {string} key @param {string | null | undefined} value */
  const setIf = (to, key, value) => value && to.set(key, value);
  for (const key of QUERY_KEYS) setIf(query, key, params.get(key));
  if (band) {
    const { minDays, maxDays } = bandRange(band);
    setIf(query, 'minDays', minDays);
    setIf(query, 'maxDays', maxDays);
  } else setIf(query, 'minDays', params.get('minDays'));
  const sort = params.get('sort') ?? 'daysWaiting';
  const order = params.get('order') ?? (sort === 'daysWaiting' || sort === 'commentOn' ? 'desc' : 'asc');
  const cols = columns(fds);
  /** @param {string} name @param {string} text @param {[string, string][]} list @param {string | null} value */
  const select = (name, text, list, value) =>
    html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="f-${name}">${text}</label><select class="nhsuk-select" id="f-${name}" name="${name}">${options(list, value)}</select></div>`;
  /** @param {string} text @param {string} href @param {boolean} on */
  const view = (text, href, on) =>
    html`<a class="openptl-view" href="${href}" aria-current=${on ? 'page' : nothing}>${text}</a>`;
  const plain = ![...params.keys()].some((k) => !['sort', 'order'].includes(k));
  const tracker = canRecord();
  const day = await today();
  const title = fds
    ? 'Faster diagnosis overdue'
    : params.get('nextActionDueBy') === 'today'
      ? 'Due today or overdue'
      : params.get('assignee') === me?.name
        ? 'My patients'
        : params.get('milestone') === 'late'
          ? 'Milestone late'
          : params.get('milestone') === 'at_risk'
            ? 'Milestone at risk'
            : params.get('breachWithin')
              ? `Due to breach in the next ${params.get('breachWithin')} days`
              : 'Patient tracking list';
  const stated = filtersStated(params, band, { stageLabel, bandLabel });
  document.title = `${title}${stated ? ` (${stated})` : ''} – OpenPTL`; // the title a browser prints
  /** @type {[string, string][]} */
  const anyYesNo = [
    ['', 'Any'],
    ['true', 'Yes'],
    ['false', 'No'],
  ];
  /** @type {any[]} */
  const rows = [];
  /** @type {string | null} where the next page starts */
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams(query);
    q.set('limit', String(PAGE));
    if (cursor) q.set('cursor', cursor);
    const { body } = await api('GET', `/api/ptl?${q}`);
    if (!body?.entries) return false;
    rows.push(...body.entries.map((/** @type {any} */ e) => ({ ...e, asOf: body.asOf })));
    showRows();
    cursor = body.nextCursor;
    const empty = document.getElementById('ptl-empty');
    const count = document.getElementById('ptl-count');
    const more = document.getElementById('more');
    const total = document.getElementById('ptl-total');
    if (empty) empty.hidden = rows.length > 0;
    if (count)
      count.textContent = `${rows.length} of ${body.total.toLocaleString('en-GB')} shown${cursor ? '; more below' : ''}.`;
    if (total) total.textContent = `${body.total.toLocaleString('en-GB')} ${body.total === 1 ? 'patient' : 'patients'}`;
    riskNote(body.breachRiskFrom);
    if (more) more.hidden = !cursor;
    return Boolean(cursor);
  };
  // Show more adds rows; an assignment changes their tracker.
  const showRows = () => {
    updateRows(
      'ptl',
      rows.map(
        (e) =>
          html`<tr class="nhsuk-table__row" data-pathway="${e.pathwayId}">${tracker ? html`<td class="openptl-col-select"><input type="checkbox" name="pathway" value="${e.pathwayId}" aria-label="Select ${e.patientName ?? e.pathwayId}"></td>` : nothing}${cols.map(([key, , , cell], i) => html`<td class="openptl-col-${key} openptl-col-${i}">${cell(e)}</td>`)}</tr>`,
      ),
    );
    fitColumns(rows, cols);
  };
  const filter = (/** @type {HTMLFormElement} */ form) => {
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
    setIf(next, 'sort', params.get('sort'));
    setIf(next, 'order', params.get('order'));
    location.hash = `#/ptl?${next}`;
  };
  /** @param {string} key @param {string} first */
  const sortBy = (key, first) => {
    const next = new URLSearchParams(params);
    next.set('sort', key);
    next.set('order', sort === key ? (order === 'desc' ? 'asc' : 'desc') : first);
    focusAfter = `[data-sort="${key}"]`;
    location.hash = `#/ptl?${next}`;
  };
  const showMore = async () => {
    const first = rows.length;
    await load();
    main?.querySelectorAll('#ptl tbody tr')[first]?.querySelector('a')?.focus();
  };
  const print = async () => {
    // The whole filtered list, not only the rows shown so far.
    while (cursor && rows.length < 5000) await load();
    window.print();
  };
  draw(
    main,
    html`
    <div class="openptl-print-header"><span>${trustName ?? ''}</span><span id="print-title">${title}${stated ? ` (${stated})` : ''}, printed ${date(day)}</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <div class="openptl-list-head">
      <h1 tabindex="-1">${title}</h1>
      <p class="openptl-total" id="ptl-total" aria-live="polite"></p>
      <nav class="openptl-views" aria-label="PTL views">
        ${view('All open', '#/ptl', plain)}${view('Due today or overdue', '#/ptl?nextActionDueBy=today&sort=nextActionDue', params.get('nextActionDueBy') === 'today')}
        ${me ? view('My patients', `#/ptl?assignee=${encodeURIComponent(me.name)}`, params.get('assignee') === me.name) : ''}${view('FDS overdue', '#/ptl?fdsOverdue=true&sort=fdsDue', fds)}${view('Over 62 days', '#/ptl?breached=true', params.get('breached') === 'true')}${view('Milestone late', '#/ptl?milestone=late&sort=milestoneDue', params.get('milestone') === 'late')}
        <a class="openptl-view" href="#/mdt">Awaiting MDT</a>
      </nav>
      <div class="openptl-actions"><a class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="csv" href="/api/ptl/csv?${query.toString()}" download>Download CSV</a>
        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" id="print" @click=${print}>Print</button></div>
    </div>
    ${stated ? html`<p class="nhsuk-body-s openptl-stated" id="ptl-filters-stated">Filtered: ${stated}</p>` : nothing}
    <form id="filters" class="openptl-filters" aria-label="Filters" @submit=${onSubmit(filter)}>
      ${select('tumourSite', 'Tumour site', [['', 'All'], ...choices(tumourSites)], params.get('tumourSite'))}
      ${select('stage', 'Stage', [['', 'All'], ...choices(stages, stageLabel)], params.get('stage'))}
      ${select('provider', 'Provider', [['', 'All'], ...choices(providers, String)], (params.get('provider') ?? '').toUpperCase())}
      ${select('band', 'Days waiting', [['', 'Any'], ...choices(bands, bandLabel)], band)}
      ${select('breached', 'Over 62 days', anyYesNo, params.get('breached'))}
      ${select('fdsOverdue', 'FDS overdue', anyYesNo, params.get('fdsOverdue'))}
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
        'milestone',
        'Next milestone',
        [
          ['', 'Any'],
          ['late', 'Late'],
          ['at_risk', 'At risk'],
        ],
        params.get('milestone'),
      )}
      ${select('screeningProgramme', 'Screening programme', [['', 'Any'], ...choices(screeningProgrammes)], params.get('screeningProgramme'))}
      ${select('deprivationQuintile', 'Deprivation (IMD quintile)', DEPRIVATION, params.get('deprivationQuintile'))}
      ${select('needsReview', 'Needs review', anyYesNo, params.get('needsReview'))}
      <input type="hidden" name="assignee" value="${params.get('assignee') ?? ''}">
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Apply filters</button>
    </form>
    <div id="confirmation"></div>
    ${
      tracker
        ? html`<form id="bulk" class="openptl-bulk" aria-label="Selected patients" @submit=${onSubmit((form) => assign(form, rows, showRows))}><span id="selected-count">0 selected</span>
      <label class="nhsuk-label" for="bulk-assignee">Assign selected to</label><select class="nhsuk-select" id="bulk-assignee" name="assignee"><option value="">Choose a tracker…</option></select>
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Assign</button></form>`
        : nothing
    }
    <div class="openptl-ptl-wrap"><table class="nhsuk-table openptl-ptl${fds ? ' openptl-ptl--fds' : ''}" id="ptl" @change=${recount}><caption class="nhsuk-u-visually-hidden">${title}: open pathways, ${sortCaption(cols, sort, order)}</caption>
      <thead class="nhsuk-table__head"><tr>${tracker ? html`<th scope="col" class="openptl-col-select"><input type="checkbox" id="select-all" aria-label="Select every patient shown" @change=${selectAll}></th>` : nothing}${cols.map(
        ([key, text, first], i) => {
          // In the FDS view both FDS columns sort on the FDS due date (the most days first).
          const sorted = sort === key;
          return html`<th scope="col" class="openptl-col-${key} openptl-col-${i}" aria-sort="${sorted ? (order === 'desc' ? 'descending' : 'ascending') : 'none'}"><button type="button" title="${text}" data-sort="${key}" data-first="${first}" @click=${() => sortBy(key, first)}>${text}${sorted ? (order === 'desc' ? ' ▼' : ' ▲') : ''}</button></th>`;
        },
      )}</tr></thead><tbody></tbody></table></div>
    <p id="ptl-empty" hidden>No open pathways match these filters.</p>
    <p id="ptl-count" class="nhsuk-body-s"></p>
    <p id="ptl-risk-note" class="nhsuk-body-s"></p>
    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="more" hidden @click=${showMore}>Show more</button>`,
  );
  if (tracker) listAssignees();
  await load();
  focusFirst(main, focusAfter || 'h1', 'h1');
  focusAfter = '';
}

/**
 * What the breach risk column is (issue #23): the forecast it comes from, or that none has run yet.
 * @param {{ asOf: string, horizon: string, runs: number } | null} from
 */
function riskNote(from) {
  const note = document.getElementById('ptl-risk-note');
  if (!note) return;
  note.textContent = from
    ? `Breach risk: the chance of passing 62 days by ${date(from.horizon)}, from ${from.runs} runs of the forecast made as at ${date(from.asOf)} (blank for a pathway referred since).`
    : 'Breach risk: blank until the day’s forecast has run (the server makes it each night).';
}

/**
 * The filters chosen, in words, for the printed title and above the list ("Tumour site: Lung; over 62 days").
 * @param {URLSearchParams} params
 * @param {string} band
 * @param {{ stageLabel: (s: string) => string, bandLabel: (b: string) => string }} words
 */
function filtersStated(params, band, words) {
  const yesNo = (/** @type {string} */ key, /** @type {string} */ yes, /** @type {string} */ no) =>
    params.get(key) === 'true' ? yes : params.get(key) === 'false' ? no : '';
  const named = (/** @type {string} */ key, /** @type {string} */ name, /** @type {(v: string) => string} */ word) => {
    const v = params.get(key);
    return v ? `${name}: ${word(v)}` : '';
  };
  return [
    named('tumourSite', 'tumour site', label),
    named('stage', 'stage', words.stageLabel),
    named('provider', 'provider', (v) => v.toUpperCase()), // #28: by name once the vocabulary names providers
    band ? `waiting ${words.bandLabel(band)}` : '',
    yesNo('breached', 'over 62 days', 'not over 62 days'),
    yesNo('fdsOverdue', 'FDS overdue', 'FDS not overdue'),
    params.get('nextActionDueBy') ? 'next action due today or overdue' : '',
    params.get('milestone') === 'late'
      ? 'next milestone late'
      : params.get('milestone') === 'at_risk'
        ? 'next milestone at risk'
        : '',
    named('screeningProgramme', 'screening programme', label),
    yesNo('needsReview', 'needs review', 'not needing review'),
    named('assignee', 'tracker', String),
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * Columns no row shown fills take only their heading's room, so the others (the next action, the
 * stage) have it: each empty column's heading is marked, and app.css narrows it.
 * @param {any[]} rows
 * @param {[string, string, string, (e: any) => unknown][]} cols
 */
function fitColumns(rows, cols) {
  // The table's layout is fixed: the headings' widths are the columns' widths.
  cols.forEach(([, , , cell], i) =>
    document
      .querySelector(`#ptl thead .openptl-col-${i}`)
      ?.classList.toggle('openptl-col--empty', rows.length > 0 && rows.every((e) => cell(e) === '')),
  );
}

/**
 * @param {[string, string, string, unknown][]} cols
 * @param {string} sort
 * @param {string} order
 */
function sortCaption(cols, sort, order) {
  const col = cols.find(([key]) => key === sort);
  return col
    ? `sorted by ${col[1].toLowerCase()}, ${order === 'desc' ? 'descending' : 'ascending'}`
    : 'longest wait first';
}

/** The pathways ticked. */
const chosen = () =>
  [...document.querySelectorAll('#ptl tbody input[name="pathway"]:checked')].map(
    (c) => /** @type {HTMLInputElement} */ (c).value,
  );

function recount() {
  const count = document.getElementById('selected-count');
  if (count) count.textContent = `${chosen().length} selected`;
}

function selectAll(/** @type {Event} */ e) {
  const all = /** @type {HTMLInputElement} */ (e.currentTarget);
  for (const c of document.querySelectorAll('#ptl tbody input[name="pathway"]'))
    /** @type {HTMLInputElement} */ (c).checked = all.checked;
  recount();
}

/** The trackers to assign to, after the choice already there. */
async function listAssignees() {
  const { body } = await api('GET', '/api/assignees');
  const select = document.getElementById('bulk-assignee');
  if (!select) return;
  render(
    html`${body.assignees.map((/** @type {string} */ n) => html`<option value="${n}">${n}</option>`)}<option value="-">Nobody (unassign)</option>`,
    select,
  );
}

/**
 * Assigns the ticked patients to the tracker chosen, and shows it in their rows.
 * @param {HTMLFormElement} form
 * @param {any[]} rows
 * @param {() => void} showRows
 */
async function assign(form, rows, showRows) {
  const ids = chosen();
  const who = String(new FormData(form).get('assignee') ?? '');
  const where = document.getElementById('confirmation');
  if (!ids.length || !who)
    return showProblem(
      where,
      ids.length ? 'Choose a tracker to assign them to.' : 'Select the patients to assign first.',
      'bulk-error',
    );
  const assignee = who === '-' ? null : who;
  const r = await api('POST', '/api/assignments', { pathwayIds: ids, assignee });
  if (!r.ok) return;
  for (const row of rows) if (ids.includes(row.pathwayId)) row.assignee = assignee;
  showRows();
  confirm(
    where,
    `${ids.length} ${ids.length === 1 ? 'patient' : 'patients'} ${assignee ? `assigned to ${assignee}` : 'unassigned'}.`,
  );
}
