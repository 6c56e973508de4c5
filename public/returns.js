// @ts-check
// The national returns (trackers and admins): the monthly CWT submission with its validation
// problems as a work list and its files, and the weekly cancer PTL return as at 23:59 on a Sunday
// with its files. Issue #24: the work list grouped by kind of problem with counts, filtered by
// provider, tumour site and record type, paged; a group fixed at once where one value fits all
// (each pathway still gets its own `national_items_added`); a preview that includes test NHS
// numbers, so the work list can be tried on demo data, marked on the page and in every file as
// not for submission.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, can, vocabulary } from './api.js';
import { listWords } from './codes.js';
import { today } from './live.js';
import { addDays, date, dateTime, draw, label, nhsNumber } from './format.js';
import { fieldValue, onSubmit, options, showProblem } from './forms.js';

const main = document.getElementById('main');
/** Problems shown a page. */
const PAGE = 50;

/** From today in England as the server counts it: the month before, as YYYY-MM; the Sunday on or before yesterday. */
async function defaults() {
  const day = await today();
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const yesterday = addDays(day, -1);
  const sunday = addDays(yesterday, -new Date(`${yesterday}T00:00:00Z`).getUTCDay());
  return { month, sunday };
}

/** The preview box, ticked or not. @param {string} id @param {boolean} on */
const previewBox = (id, on) =>
  html`<div class="nhsuk-checkboxes__item"><input class="nhsuk-checkboxes__input" id="${id}" name="preview" type="checkbox" value="true" ?checked=${on}><label class="nhsuk-label nhsuk-checkboxes__label" for="${id}">Preview with test NHS numbers (999): not for submission</label></div>`;

/** @param {URLSearchParams} params */
export async function showReturns(params) {
  document.title = 'Returns – OpenPTL';
  const d = await defaults();
  const period = params.get('period');
  const weekEnding = params.get('weekEnding');
  const preview = params.get('preview') === 'true';
  /** @param {HTMLFormElement} form @param {string} key */
  const go = (form, key) => {
    const ask = new URLSearchParams({ [key]: fieldValue(form, key) });
    if (fieldValue(form, 'preview') === 'true') ask.set('preview', 'true');
    location.hash = `#/returns?${ask}`;
  };
  draw(
    main,
    html`
    <h1>National returns</h1>
    <div class="openptl-grid">
      <form id="cwt-form" class="nhsuk-card" @submit=${onSubmit((form) => go(form, 'period'))}><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Monthly Cancer Waiting Times submission</h2>
        <p class="nhsuk-body-s">The pathway's record in the month of its faster diagnosis outcome and in the month of its first treatment, and a record for each later treatment; at most 8,500 records a file.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="period">Month</label><input class="nhsuk-input nhsuk-input--width-10" type="month" id="period" name="period" value="${period ?? d.month}" required></div>
        <div class="nhsuk-form-group"><div class="nhsuk-checkboxes nhsuk-checkboxes--small">${previewBox('cwt-preview', preview && period !== null)}</div></div>
        <button class="nhsuk-button" type="submit">Prepare the submission</button>
      </div></form>
      <form id="canptl-form" class="nhsuk-card" @submit=${onSubmit((form) => go(form, 'weekEnding'))}><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading">Weekly cancer PTL</h2>
        <p class="nhsuk-body-s">A snapshot as at 23:59 on a Sunday, in the national template: open 62-day pathways by section, route and tumour type, and the week's activity.</p>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="week-ending">Week ending (a Sunday)</label><input class="nhsuk-input nhsuk-input--width-10" type="date" id="week-ending" name="weekEnding" value="${weekEnding ?? d.sunday}" required></div>
        <div class="nhsuk-form-group"><div class="nhsuk-checkboxes nhsuk-checkboxes--small">${previewBox('canptl-preview', preview && weekEnding !== null)}</div></div>
        <button class="nhsuk-button" type="submit">Prepare the return</button>
      </div></form>
    </div>
    <div id="return-error"></div>
    <div id="return-result"></div>`,
  );
  if (period) await showCwt(period, preview);
  else if (weekEnding) await showCanptl(weekEnding, preview);
}

/** @param {{ status: number, body: any }} r */
function showError(r) {
  showProblem(
    document.getElementById('return-error'),
    r.body?.message ?? `The server refused this (${r.status})`,
    'return-problem',
  );
}

/** The mark on every page of a preview: it includes test NHS numbers and must never be uploaded. @param {string} text */
const previewMark = (text) =>
  html`<div class="nhsuk-warning-callout openptl-preview-mark" data-preview-mark><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Preview: not for submission</span></h3><p>${text}</p></div>`;

/**
 * Links that download a return's files with the signed-in session (the server sends them as attachments).
 * @param {string} base
 * @param {string[]} files
 * @param {string} id
 */
function downloads(base, files, id = 'return-files') {
  return html`<ul class="nhsuk-list" id="${id}">${files.map((f) => html`<li><a href="${`${base}&file=${encodeURIComponent(f)}`}" download="${f}">${f}</a></li>`)}</ul>`;
}

/**
 * @typedef {{ provider: string, tumourSite: string, recordType: string, group: string, page: number }} Filters
 */

/** @param {string} period @param {boolean} preview */
async function showCwt(period, preview) {
  const r = await api('GET', `/api/returns/cwt?period=${encodeURIComponent(period)}${preview ? '&preview=true' : ''}`);
  if (!r.ok) return showError(r);
  const c = r.body;
  // Downloads as at the same moment as this page: the files hold exactly what is shown.
  const base = `/api/returns/cwt?period=${encodeURIComponent(c.period)}&asAt=${encodeURIComponent(c.asAt)}${c.preview ? '&preview=true' : ''}`;
  const allLists =
    c.unconfirmedCodes.length || c.groups.some((/** @type {any} */ g) => g.bulkField === 'nhsNumberStatus')
      ? (await api('GET', '/api/code-lists')).body?.lists
      : null;
  const codeLists = c.groups.some((/** @type {any} */ g) => g.bulkField === 'nhsNumberStatus') ? allLists : null;
  /** @type {Filters} */
  const filters = { provider: '', tumourSite: '', recordType: '', group: '', page: 0 };
  const mark = c.preview ? previewMark(c.notForSubmission) : nothing;
  const isUpload = (/** @type {string} */ f) => /-national-part\d+\.csv$/.test(f);
  const isReview = (/** @type {string} */ f) => /-part\d+\.csv$/.test(f) && !isUpload(f);
  draw(
    document.getElementById('return-result'),
    html`
    ${mark}
    <h2>Submission for ${c.period}${c.preview ? ' (preview)' : ''} <span class="nhsuk-caption-m">as at ${dateTime(c.asAt)} (UK time)</span></h2>
    <dl class="nhsuk-summary-list" id="cwt-summary">
      ${[
        ['Records ready to submit', c.records],
        ['Files', c.parts.length],
        ['Records that cannot go as they stand', c.heldBack],
        ['Problems to fix', c.problems],
        c.preview
          ? ['Test NHS numbers (999) included: a preview', c.testNumbersIncluded]
          : ['Test NHS numbers (999) left out', c.testNumbersLeftOut],
      ].map(
        ([k, v]) =>
          html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value">${v ?? ''}</dd></div>`,
      )}
    </dl>
    ${!c.preview && c.testNumbersLeftOut > 0 && c.problems === 0 ? html`<p id="try-preview">Every record here is of a test NHS number, so there is nothing to fix. <a href="#/returns?period=${encodeURIComponent(c.period)}&preview=true">Preview the work list with the test numbers</a> (not for submission).</p>` : nothing}
    ${c.unconfirmedCodes.length ? html`<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Provisional codes</span></h3><p>These codes from the trust's lists are not yet confirmed against the DCB0147 specification:</p><ul id="provisional-codes">${c.unconfirmedCodes.map((/** @type {string} */ lc) => html`<li>${codeWords(lc, allLists)}</li>`)}</ul><p>Check them before uploading${can('code_lists') ? html`: <a href="#/codes?unconfirmed=true">correct or confirm them on the Code lists page</a>` : ' (a data manager or an admin corrects or confirms them on the Code lists page)'}.</p></div>` : nothing}
    <h3>Files${c.preview ? ' (a preview: not for submission)' : ''}</h3>
    <p class="nhsuk-body-s">To review: the trust's columns, with a header row naming each by its data dictionary element.</p>
    ${downloads(base, c.files.filter(isReview), 'return-files')}
    <p class="nhsuk-body-s">To upload: the national layout, no header row.</p>
    ${downloads(base, c.files.filter(isUpload), 'upload-files')}
    <p class="nhsuk-body-s">The work list as a file:</p>
    ${downloads(
      base,
      c.files.filter((/** @type {string} */ f) => f.endsWith('-validation.csv')),
      'validation-files',
    )}
    <div id="fix-result"></div>
    <div id="work"></div>`,
  );
  drawWork(c, filters, codeLists, base);
}

/**
 * The work list: its groups with counts (and a fix for a whole group), the filters, one page of problems.
 * @param {any} c the return
 * @param {Filters} filters
 * @param {any} codeLists
 * @param {string} base
 */
function drawWork(c, filters, codeLists, base) {
  const where = document.getElementById('work');
  /** @type {any[]} */
  const all = c.workList;
  const matches = (/** @type {any} */ w, /** @type {Partial<Filters>} */ f) =>
    (!f.provider || (w.provider ?? '') === f.provider) &&
    (!f.tumourSite || w.tumourSite === f.tumourSite) &&
    (!f.recordType || w.recordType === f.recordType) &&
    (!f.group || w.group === f.group);
  const shown = all.filter((w) => matches(w, filters));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const page = Math.min(filters.page, pages - 1);
  const rows = shown.slice(page * PAGE, page * PAGE + PAGE);
  const redraw = (/** @type {Partial<Filters>} */ change) =>
    drawWork(c, { ...filters, page: 0, ...change }, codeLists, base);
  /** @param {any} w a work-list entry */
  const fix = (w) =>
    w.eventId
      ? `#/pathway/${encodeURIComponent(w.pathwayId)}?form=national_items_added&target=${encodeURIComponent(w.eventId)}&field=${encodeURIComponent(w.field ?? '')}&problem=${encodeURIComponent(w.problem)}`
      : `#/pathway/${encodeURIComponent(w.pathwayId)}`;
  /** Each group's entries within the provider, site and record type chosen. @param {any} g */
  const inGroup = (g) => all.filter((w) => matches(w, { ...filters, group: g.group }));
  const mark = c.preview
    ? html`<p class="openptl-preview-note" data-preview-mark><strong>Preview: not for submission.</strong></p>`
    : nothing;
  draw(
    where,
    html`
    <h3 id="work-title">Work list: records that cannot go as they stand (${all.length} ${all.length === 1 ? 'problem' : 'problems'})</h3>
    ${
      all.length === 0
        ? html`<p>None: every record can go.</p>`
        : html`
    ${mark}
    ${filtersForm(c, all, filters, redraw)}
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="work-groups"><caption class="nhsuk-table__caption">Problems by kind${filters.provider || filters.tumourSite || filters.recordType ? ' (within the filters)' : ''}</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Kind of problem</th><th scope="col" class="nhsuk-table__header--numeric">Problems</th><th scope="col">Fix the whole group</th></tr></thead>
      <tbody>${c.groups.map((/** @type {any} */ g) => {
        const entries = inGroup(g);
        return html`<tr data-group="${g.group}"><td><button class="openptl-link-action" type="button" @click=${() => redraw({ group: g.group })}>${g.label}</button></td><td class="nhsuk-table__cell--numeric" data-count>${entries.length}</td><td>${g.bulkField && entries.length ? bulkForm(g, entries, codeLists, () => refresh(base)) : nothing}</td></tr>`;
      })}</tbody></table></div>
    <p id="work-showing" aria-live="polite">${shown.length ? `Showing ${page * PAGE + 1} to ${page * PAGE + rows.length} of ${shown.length}` : 'No problems match these filters.'}</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="work-list"><thead class="nhsuk-table__head"><tr><th scope="col">Patient</th><th scope="col">NHS number</th><th scope="col">Tumour site</th><th scope="col">Provider</th><th scope="col">Record</th><th scope="col">Date</th><th scope="col">Item</th><th scope="col">Problem</th></tr></thead><tbody>
      ${rows.map((/** @type {any} */ w) => html`<tr class="nhsuk-table__row" data-pathway="${w.pathwayId}"><td><a href="${fix(w)}">${w.patientName ?? w.pathwayId}</a></td><td class="openptl-nowrap">${nhsNumber(w.nhsNumber)}</td><td>${label(w.tumourSite)}</td><td>${w.provider ?? ''}</td><td>${w.record}</td><td class="openptl-nowrap">${date(w.recordDate)}</td><td>${w.element}</td><td>${w.problem}</td></tr>`)}
    </tbody></table></div>
    <nav class="openptl-pager" aria-label="Work list pages">
      <button class="nhsuk-button nhsuk-button--secondary" id="work-previous" type="button" ?disabled=${page === 0} @click=${() => drawWork(c, { ...filters, page: page - 1 }, codeLists, base)}>Previous page</button>
      <span id="work-page">Page ${page + 1} of ${pages}</span>
      <button class="nhsuk-button nhsuk-button--secondary" id="work-next" type="button" ?disabled=${page >= pages - 1} @click=${() => drawWork(c, { ...filters, page: page + 1 }, codeLists, base)}>Next page</button>
    </nav>`
    }`,
  );
}

/**
 * The work list's filters: provider, tumour site, record type, kind of problem.
 * @param {any} c the return
 * @param {any[]} all its problems
 * @param {Filters} filters
 * @param {(change: Partial<Filters>) => void} redraw
 */
function filtersForm(c, all, filters, redraw) {
  const distinct = (/** @type {string} */ key) =>
    [...new Set(all.map((w) => w[key] ?? ''))]
      .sort()
      .map((v) => /** @type {[string, string]} */ ([v, v || 'Not recorded']));
  return html`<form id="work-filters" class="openptl-filters" @change=${(/** @type {Event} */ e) => {
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    redraw({
      provider: fieldValue(form, 'provider'),
      tumourSite: fieldValue(form, 'tumourSite'),
      recordType: fieldValue(form, 'recordType'),
      group: fieldValue(form, 'group'),
    });
  }} @submit=${(/** @type {Event} */ e) => e.preventDefault()}>
      ${filterSelect('wl-provider', 'provider', 'Provider', distinct('provider'), filters.provider)}
      ${filterSelect(
        'wl-site',
        'tumourSite',
        'Tumour site',
        distinct('tumourSite').map(([v]) => [v, label(v)]),
        filters.tumourSite,
      )}
      ${filterSelect(
        'wl-record',
        'recordType',
        'Record',
        [
          ['faster_diagnosis', 'Faster diagnosis outcome'],
          ['first_treatment', 'First treatment'],
          ['later_treatment', 'Later treatment'],
        ],
        filters.recordType,
      )}
      ${filterSelect(
        'wl-group',
        'group',
        'Kind of problem',
        c.groups.map((/** @type {any} */ g) => [g.group, g.label]),
        filters.group,
      )}
    </form>`;
}

/**
 * @param {string} id @param {string} name @param {string} text
 * @param {[string, string][]} list @param {string} value
 */
const filterSelect = (id, name, text, list, value) =>
  html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="${id}">${text}</label><select class="nhsuk-select" id="${id}" name="${name}">${options([['', 'All'], ...list], value)}</select></div>`;

/**
 * One value for every pathway of a group (within the filters): one `national_items_added` each, all or none.
 * @param {any} g the group
 * @param {any[]} entries its problems shown
 * @param {any} codeLists
 * @param {() => Promise<void>} done
 */
function bulkForm(g, entries, codeLists, done) {
  // One addition per pathway and event: a pathway's two records may both need the item.
  const targets = [
    ...new Map(
      entries.map((w) => [`${w.pathwayId}|${w.eventId}`, { pathwayId: w.pathwayId, eventId: w.eventId }]),
    ).values(),
  ];
  const id = `bulk-${g.group.replace(/[^a-z0-9]/gi, '-')}`;
  const input =
    g.bulkField === 'nhsNumberStatus'
      ? html`<select class="nhsuk-select" id="${id}-value" name="value" required>${options(
          [
            ['', 'Choose…'],
            ...(codeLists?.nhs_number_status ?? []).map((/** @type {any} */ o) => [o.code, `${o.code} ${o.label}`]),
          ],
          '',
        )}</select>`
      : html`<input class="nhsuk-input nhsuk-input--width-5" id="${id}-value" name="value" type="text" required pattern="[A-Z0-9]{5}" autocomplete="off" spellcheck="false" aria-describedby="${id}-hint">`;
  return html`<form class="openptl-bulk-fix" id="${id}" data-bulk="${g.group}" @submit=${onSubmit(async (form) => {
    const value = fieldValue(form, 'value');
    const r = await api('POST', '/api/returns/cwt/fixes', { field: g.bulkField, value, targets });
    if (!r.ok)
      return showProblem(
        document.getElementById('fix-result'),
        r.body?.message ?? `The server refused this (${r.status})`,
        'fix-problem',
      );
    // The month prepared again with the fix in, then the confirmation above its work list.
    await done();
    draw(
      document.getElementById('fix-result'),
      html`<div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="status" id="fix-done" tabindex="-1"><div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">${value} added for ${r.body.written} ${r.body.written === 1 ? 'pathway' : 'pathways'} (${g.label}).</p></div></div>`,
    );
    document.getElementById('fix-done')?.focus();
  })}>
    <label class="nhsuk-label" for="${id}-value">${g.bulkField === 'nhsNumberStatus' ? 'NHS number status' : 'Site (5-character ODS site code)'}</label>
    ${g.bulkField === 'site' ? html`<div class="nhsuk-hint" id="${id}-hint">For example, RAJ01</div>` : nothing}
    ${input}
    <button class="nhsuk-button nhsuk-button--secondary" type="submit">Set for ${targets.length} ${targets.length === 1 ? 'pathway' : 'pathways'}</button>
  </form>`;
}

/** The month prepared again, as now, after a fix. @param {string} base */
async function refresh(base) {
  const params = new URLSearchParams(base.split('?')[1]);
  await showCwt(params.get('period') ?? '', params.get('preview') === 'true');
}

/** @param {string} weekEnding @param {boolean} preview */
async function showCanptl(weekEnding, preview) {
  const r = await api(
    'GET',
    `/api/returns/canptl?weekEnding=${encodeURIComponent(weekEnding)}${preview ? '&preview=true' : ''}`,
  );
  if (!r.ok) return showError(r);
  const c = r.body;
  /** @type {{ bands: string[] }} */
  const { bands } = await vocabulary();
  /** @type {[string, any][]} */
  const types = Object.entries(c.open62ByType).filter(([, t]) => /** @type {any} */ (t).total > 0);
  /** @param {Record<string, number>} b */
  const cells = (b) => bands.map((band) => html`<td class="nhsuk-table__cell--numeric">${b[band]}</td>`);
  const base = `/api/returns/canptl?weekEnding=${encodeURIComponent(c.weekEnding)}${c.preview ? '&preview=true' : ''}`;
  draw(
    document.getElementById('return-result'),
    html`
    ${c.preview ? previewMark(c.notForSubmission) : nothing}
    <h2>Cancer PTL, week ending ${date(c.weekEnding)}${c.preview ? ' (preview)' : ''} <span class="nhsuk-caption-m">as at 23:59 that Sunday</span></h2>
    <p id="canptl-open">Open 62-day pathways: <strong>${c.open62}</strong>. Passed day 28 of the faster diagnosis standard this week: <strong>${c.passedDay28.total}</strong>. Referrals and upgrades received: <strong>${c.referralsReceived.total}</strong>. First seen (urgent suspected cancer, face to face and virtual): <strong>${c.firstSeen.total}</strong>. ${c.preview ? nothing : html`Test NHS numbers left out: <strong>${c.testNumbersLeftOut}</strong>.`}</p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="canptl-table"><caption class="nhsuk-table__caption">Open 62-day pathways by suspected cancer type</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Suspected cancer type</th><th scope="col">Decision to treat</th>${bands.map((b) => html`<th scope="col" class="nhsuk-table__header--numeric">${b === '105+' ? 'over 104' : b} days</th>`)}</tr></thead>
      <tbody>${types.map(([type, t]) => html`<tr><th scope="row" rowspan="2">${label(type)}</th><td>with</td>${cells(t.withDecisionToTreat)}</tr><tr><td>without</td>${cells(t.withoutDecisionToTreat)}</tr>`)}
      <tr><th scope="row" colspan="2">All</th>${cells(c.open62Bands)}</tr></tbody></table></div>
    <h3>The national template: rows with a count</h3>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="canptl-template"><thead class="nhsuk-table__head"><tr><th scope="col">Org</th><th scope="col">Section</th><th scope="col">Route</th><th scope="col">Tumour type</th>${c.columns.map((/** @type {string} */ col) => html`<th scope="col" class="nhsuk-table__header--numeric">${col}</th>`)}</tr></thead>
      <tbody>${c.rows.map((/** @type {any} */ row) => html`<tr><td>${row.org}</td><td>${row.section}</td><td>${row.route}</td><td>${row.tumourType}</td>${c.columns.map((/** @type {string} */ col) => html`<td class="nhsuk-table__cell--numeric">${row.counts[col] ?? ''}</td>`)}</tr>`)}</tbody></table></div>
    <p id="canptl-programmes">Screening referrals by programme: ${Object.entries(
      c.referralsReceived.byScreeningProgramme ?? {},
    )
      .map(([programme, n]) => `${label(programme)}: ${n}`)
      .join('; ')}.</p>
    <h3>Files${c.preview ? ' (a preview: not for submission)' : ''}</h3>
    ${downloads(base, c.files)}`,
  );
}

/**
 * A provisional code as the return names it ("two_week_wait_type 06") in words: its list, the code and its label.
 * @param {string} listAndCode
 * @param {Record<string, { code: string, label: string }[]> | null} lists
 */
function codeWords(listAndCode, lists) {
  const [list = '', code = ''] = listAndCode.split(' ');
  const found = lists?.[list]?.find((c) => c.code === code);
  return `${listWords(list)} ${code}${found ? `: ${found.label}` : ''}`;
}
