// @ts-check
// The steward's view: live tiles, the backlog by tumour site, by provider and by stage (tables and
// a chart with every bar labelled, all kept live over /live), performance against the FDS, 31 and
// 62-day standards for this month and the last (as the nightly report counts it), the 90-day
// trend, and links to the nightly reports. Every number links to the PTL filtered to those patients.
import { html, nothing, render } from '/vendor/lit-html/lit-html.js';
import { api, vocabulary } from './api.js';
import { latestCounts } from './live.js';
import { clockLabel, date, draw, label, stageLabel } from './format.js';

const main = document.getElementById('main');
/** @type {{ site: any, trend: any }} the Chart.js charts drawn */
const charts = { site: null, trend: null };
/** @type {[string, string, string, (key: string) => string][]} the counts' groups: key, filter, heading, words */
const GROUPS = [
  ['byTumourSite', 'tumourSite', 'Tumour site', label],
  ['byProvider', 'provider', 'Provider', (p) => (p === 'unknown' ? 'Not recorded' : p)],
  ['byStage', 'stage', 'Stage', stageLabel],
];
/** The trend's spans (issue #28): days up to today, and the words for each. */
const TREND_SPANS = [
  ['90', '90 days'],
  ['183', '6 months'],
  ['365', '12 months'],
];
/** Which period the performance by tumour site and by provider shows. */
let performancePeriod = 'monthToDate';
/** The last performance answer, redrawn when the period is changed. */
let performanceShown = /** @type {any} */ (null);
/** Performance is counted from the whole history: asked again after a change at most this often. */
const PERFORMANCE_EVERY_MS = 30_000;
let performanceAsked = 0;

export async function showBacklog() {
  document.title = 'Backlog – OpenPTL';
  const [{ body: counts }, { body: trend }, { trustName }] = await Promise.all([
    api('GET', '/api/backlog'),
    api('GET', '/api/backlog/trend?days=90'),
    vocabulary(),
  ]);
  const c = latestCounts() ?? counts;
  /** @param {string} key @param {string} text @param {string} cls @param {string} href */
  const tile = (key, text, cls, href) =>
    html`<a class="openptl-tile ${cls}" data-tile="${key}" href="${href}"><span>${text}</span><span class="openptl-tile__number">${c[key]}</span></a>`;
  draw(
    main,
    html`
    <div class="openptl-print-header"><span>${trustName ?? ''}</span><span>62-day backlog, printed ${date(c.asOf)}</span><strong>OFFICIAL-SENSITIVE</strong></div>
    <h1 tabindex="-1">62-day backlog <span class="nhsuk-caption-m">as of <span id="as-of">${date(c.asOf)}</span>, live</span></h1>
    <div class="openptl-tiles">
      ${tile('open', 'Open pathways', '', '#/ptl')}
      ${tile('over62', 'Over 62 days', 'openptl-tile--breach', '#/ptl?breached=true')}
      ${tile('over104', 'Over 104 days', 'openptl-tile--harm', '#/ptl?minDays=105')}
      ${tile('fdsOverdue', 'FDS overdue (over 28 days, not told)', 'openptl-tile--warn', '#/ptl?fdsOverdue=true&sort=fdsDue')}
    </div>
    <div class="openptl-grid">
      <div class="openptl-table-wrap" id="group-byProvider"></div>
      <div id="reports"><h2>Nightly breach reports</h2><p>Loading…</p></div>
    </div>
    <div id="due-to-breach" class="openptl-due"></div>
    <h2>Performance against the national standards</h2>
    <div id="performance" class="openptl-table-wrap"><p>Loading…</p></div>
    <div id="performance-by" class="openptl-table-wrap"></div>
    <div class="openptl-grid">
      <div><h2>By tumour site</h2><div class="openptl-chart openptl-chart--tall"><canvas id="site-chart" aria-label="Open pathways and over 62 days by tumour site (the table below has the figures)" role="img"></canvas></div></div>
      <div><div class="openptl-chart-head"><h2 id="trend-heading">Patients over 62 days, last 90 days</h2>
        <div class="nhsuk-form-group"><label class="nhsuk-label" for="trend-days">Show the last</label><select class="nhsuk-select" id="trend-days" @change=${showTrend}>${TREND_SPANS.map(([days, words]) => html`<option value="${days}">${words}</option>`)}</select></div></div>
        <div class="openptl-chart"><canvas id="trend-chart" aria-label="Daily count of patients over 62 and over 104 days" role="img"></canvas></div></div>
    </div>
    <div class="openptl-grid">
      <div class="openptl-table-wrap" id="group-byTumourSite"></div>
      <div class="openptl-table-wrap" id="group-byStage"></div>
    </div>`,
  );
  drawTables(c);
  drawCharts(c, trend.points);
  showPerformance();
  showReports();
  showDueToBreach();
  main?.querySelector('h1')?.focus();
}

/**
 * One group's table: every figure links to the PTL filtered to those patients.
 * @param {any} counts
 * @param {(typeof GROUPS)[number]} group
 */
function groupTable(counts, [key, filter, heading, words]) {
  /** @param {string} k @param {string} extra @param {unknown} text */
  const link = (k, extra, text) =>
    k === 'unknown' ? String(text) : html`<a href="#/ptl?${filter}=${encodeURIComponent(k)}${extra}">${text}</a>`;
  /** @type {[string, any][]} */
  const groups = Object.entries(counts[key] ?? {});
  const rows = groups
    .sort((a, b) => b[1].over62 - a[1].over62 || b[1].open - a[1].open || (a[0] < b[0] ? -1 : 1))
    .map(
      ([k, v]) =>
        html`<tr class="nhsuk-table__row" data-group="${k}"><td class="nhsuk-table__cell">${link(k, '', words(k))}</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-count="open">${link(k, '', v.open)}</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-count="over62">${link(k, '&breached=true', v.over62)}</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-count="over104">${link(k, '&minDays=105', v.over104)}</td></tr>`,
    );
  return html`<table class="nhsuk-table openptl-compact" id="table-${key}"><caption class="nhsuk-table__caption">Backlog by ${heading.toLowerCase()}</caption><thead class="nhsuk-table__head"><tr><th scope="col">${heading}</th><th scope="col" class="nhsuk-table__header--numeric">Open</th><th scope="col" class="nhsuk-table__header--numeric">Over 62</th><th scope="col" class="nhsuk-table__header--numeric">Over 104</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** @param {any} counts */
function drawTables(counts) {
  // In place: a live update changes the figures, not the elements.
  for (const g of GROUPS) {
    const box = document.getElementById(`group-${g[0]}`);
    if (box) render(groupTable(counts, g), box);
  }
}

/**
 * Live counts from /live: the tiles, every table and the site chart (when the backlog is shown), and the screen-reader announcement.
 * @param {any} counts
 */
export function updateBacklog(counts) {
  const status = document.getElementById('live-status');
  if (status) status.textContent = `Backlog updated: ${counts.over62} over 62 days`;
  if (!document.querySelector('[data-tile]')) return;
  for (const key of ['open', 'over62', 'over104', 'fdsOverdue']) {
    const el = document.querySelector(`[data-tile="${key}"] .openptl-tile__number`);
    if (el && el.textContent !== String(counts[key])) el.textContent = counts[key];
  }
  const stamp = document.getElementById('as-of');
  if (stamp) stamp.textContent = date(counts.asOf);
  // Tables are redrawn only when nothing in them has focus, so a keyboard user is not moved.
  if (!document.activeElement?.closest('[id^="group-"]')) drawTables(counts);
  if (charts.site) {
    const sites = siteBars(counts);
    charts.site.data.labels = sites.map(([k]) => label(k));
    charts.site.data.datasets[0].data = sites.map(([, v]) => v.open);
    charts.site.data.datasets[1].data = sites.map(([, v]) => v.over62);
    charts.site.update();
  }
  if (Date.now() - performanceAsked > PERFORMANCE_EVERY_MS) showPerformance();
}

/**
 * The tumour sites, most open pathways first.
 * @param {any} counts
 * @returns {[string, any][]}
 */
const siteBars = (counts) => Object.entries(counts.byTumourSite).sort((a, b) => b[1].open - a[1].open);

/** @param {any} counts @param {{ date: string, over62: number, over104: number }[]} points */
function drawCharts(counts, points) {
  charts.site?.destroy();
  charts.trend?.destroy();
  charts.site = charts.trend = null;
  const Chart = /** @type {any} */ (window).Chart; // the UMD build, loaded by its own script tag
  if (!Chart) return;
  const sites = siteBars(counts);
  charts.site = new Chart(document.getElementById('site-chart'), {
    type: 'bar',
    data: {
      labels: sites.map(([k]) => label(k)),
      datasets: [
        { label: 'Open', data: sites.map(([, v]) => v.open), backgroundColor: '#005eb8' },
        { label: 'Over 62 days', data: sites.map(([, v]) => v.over62), backgroundColor: '#d5281b' },
      ],
    },
    // Every bar labelled: no tick is skipped, and the chart is tall enough for all sixteen sites.
    options: {
      maintainAspectRatio: false,
      animation: false,
      indexAxis: 'y',
      scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } },
    },
  });
  drawTrend(points);
}

/**
 * The daily over-62 and over-104 counts, drawn again for another span.
 * @param {{ date: string, over62: number, over104: number }[]} points
 */
function drawTrend(points) {
  const Chart = /** @type {any} */ (window).Chart;
  charts.trend?.destroy();
  const long = points.length > 120; // months, not days: the year on each label
  charts.trend = new Chart(document.getElementById('trend-chart'), {
    type: 'line',
    data: {
      labels: points.map((p) => (long ? date(p.date) : date(p.date).replace(/ \d{4}$/, ''))),
      datasets: [
        { label: 'Over 62 days', data: points.map((p) => p.over62), borderColor: '#d5281b', pointRadius: 0 },
        {
          label: 'Over 104 days',
          data: points.map((p) => p.over104),
          borderColor: '#330072',
          borderDash: [4, 2],
          pointRadius: 0,
        },
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
}

/** The trend over the span chosen (90 days, 6 or 12 months). */
async function showTrend() {
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById('trend-days'));
  const days = select?.value ?? '90';
  const { ok, body } = await api('GET', `/api/backlog/trend?days=${days}`);
  if (!ok || select?.value !== days) return; // another span was chosen meanwhile
  const heading = document.getElementById('trend-heading');
  const words = TREND_SPANS.find(([d]) => d === days)?.[1] ?? `${days} days`;
  if (heading) heading.textContent = `Patients over 62 days, last ${words}`;
  drawTrend(body.points);
}

/** Patients due to breach in the next 7 and 14 days (as the nightly report lists them), each count a link to them on the PTL. */
async function showDueToBreach() {
  const spans = [7, 14];
  const answers = await Promise.all(spans.map((d) => api('GET', `/api/ptl?breachWithin=${d}&limit=1`)));
  const box = document.getElementById('due-to-breach');
  if (!box || answers.some((a) => !a.ok)) return;
  draw(
    box,
    html`<h2>Due to breach</h2><p class="openptl-due__line">${spans.map(
      (d, i) =>
        html`<a class="openptl-due__link" data-due="${d}" href="#/ptl?breachWithin=${d}&sort=breachDate"><strong>${answers[i]?.body.total}</strong> in the next ${d} days</a>`,
    )}<span class="nhsuk-body-s">not over 62 days yet; the 62-day breach date within the days, earliest first on the PTL</span></p>`,
  );
}

const pct = (/** @type {number | null | undefined} */ r) =>
  r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`;

async function showPerformance() {
  performanceAsked = Date.now();
  const { ok, body } = await api('GET', '/api/performance');
  const box = document.getElementById('performance');
  if (!box || !ok) return;
  /** @param {any} period @param {string} name */
  const cell = (period, name) => rateCell(period.standards[name].all, body.targets[name], name);
  /** @param {string} text @param {any} period */
  const row = (text, period) =>
    html`<tr class="nhsuk-table__row" data-period="${text === 'This month to date' ? 'monthToDate' : 'lastMonth'}"><th scope="row">${text} <span class="openptl-period">${date(period.period.from)} to ${date(period.period.to)}</span></th>${['fds', 'd31', 'd62'].map((n) => cell(period, n))}</tr>`;
  draw(
    box,
    html`<table class="nhsuk-table openptl-compact" id="performance-table"><caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Clocks stopped in the period that met the standard</caption>
    <thead class="nhsuk-table__head"><tr><th scope="col">Period</th>${['fds', 'd31', 'd62'].map((n) => html`<th scope="col" class="nhsuk-table__header--numeric">${clockLabel(n)} <span class="openptl-period">target ${pct(body.targets[n])}</span></th>`)}</tr></thead>
    <tbody>${row('This month to date', body.monthToDate)}${row('Last month', body.lastMonth)}</tbody></table>
    <p class="nhsuk-body-s">Counted on clocks stopped in the period, as the nightly report counts them; below the target in red.</p>`,
  );
  performanceShown = body;
  showPerformanceBy();
}

/** @param {any} c @param {number} target @param {string} standard */
function rateCell(c, target, standard) {
  if (!c) return html`<td class="nhsuk-table__cell--numeric" data-standard="${standard}">–</td>`;
  const missed = c.rate !== null && c.rate < target;
  return html`<td class="nhsuk-table__cell--numeric ${missed ? 'openptl-missed' : ''}" data-standard="${standard}">${pct(c.rate)} <span class="nhsuk-u-secondary-text-color">(${c.met} of ${c.stopped})</span>${missed ? html` <span class="nhsuk-u-visually-hidden">below the target</span>` : nothing}</td>`;
}

/** Performance by tumour site (the three standards) and the 62-day standard by provider, for the period chosen. */
function showPerformanceBy() {
  const box = document.getElementById('performance-by');
  const body = performanceShown;
  if (!box || !body) return;
  const period = body[performancePeriod];
  const standards = ['fds', 'd31', 'd62'];
  const sites = [...new Set(standards.flatMap((n) => Object.keys(period.standards[n])))]
    .filter((k) => k !== 'all')
    .sort((a, b) => (label(a) < label(b) ? -1 : 1));
  const providers = Object.keys(period.d62ByProvider).sort();
  const choose = (/** @type {Event} */ e) => {
    performancePeriod = /** @type {HTMLSelectElement} */ (e.currentTarget).value;
    showPerformanceBy();
    document.getElementById('performance-period')?.focus();
  };
  draw(
    box,
    html`<div class="openptl-chart-head"><h2>Performance by tumour site and by provider</h2>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="performance-period">Period</label><select class="nhsuk-select" id="performance-period" @change=${choose}>
        <option value="monthToDate" ?selected=${performancePeriod === 'monthToDate'}>This month to date</option><option value="lastMonth" ?selected=${performancePeriod === 'lastMonth'}>Last month</option></select></div></div>
    <div class="openptl-grid">
      <table class="nhsuk-table openptl-compact" id="performance-by-site"><caption class="nhsuk-table__caption">By tumour site, ${date(period.period.from)} to ${date(period.period.to)}</caption>
        <thead class="nhsuk-table__head"><tr><th scope="col">Tumour site</th>${standards.map((n) => html`<th scope="col" class="nhsuk-table__header--numeric">${clockLabel(n)}</th>`)}</tr></thead>
        <tbody>${sites.map((k) => html`<tr class="nhsuk-table__row" data-site="${k}"><th scope="row">${label(k)}</th>${standards.map((n) => rateCell(period.standards[n][k], body.targets[n], n))}</tr>`)}</tbody></table>
      <table class="nhsuk-table openptl-compact" id="performance-by-provider"><caption class="nhsuk-table__caption">62-day standard by provider, ${date(period.period.from)} to ${date(period.period.to)}</caption>
        <thead class="nhsuk-table__head"><tr><th scope="col">Provider</th><th scope="col" class="nhsuk-table__header--numeric">${clockLabel('d62')}</th></tr></thead>
        <tbody>${providers.map((p) => html`<tr class="nhsuk-table__row" data-provider="${p}"><th scope="row">${p === 'unknown' ? 'Not recorded' : p}</th>${rateCell(period.d62ByProvider[p], body.targets.d62, 'd62')}</tr>`)}</tbody></table>
    </div>
    ${sites.length ? nothing : html`<p class="nhsuk-body-s">No clock stopped in this period yet.</p>`}`,
  );
}

async function showReports() {
  const { ok, body } = await api('GET', '/api/reports');
  const box = document.getElementById('reports');
  if (!box || !ok) return;
  if (!body.reports.length) {
    draw(
      box,
      html`<h2>Nightly breach reports</h2><p id="latest-report"><a href="/api/reports/latest" target="_blank" rel="noopener">Yesterday's report</a>, made now.</p><p class="nhsuk-body-s">None is kept: the server writes one each night, and keeps it, when started with <code>--nightly-report 00:30 --reports-dir DIR</code>.</p>`,
    );
    return;
  }
  /** @param {{ date: string, files: string[] }} r */
  const link = (r) => {
    const page = r.files.find((f) => f === `report-${r.date}.html`) ?? r.files.find((f) => f.endsWith('.html'));
    const csv = r.files.find((f) => f.endsWith('.csv'));
    return html`<a href="/api/reports/${page ?? r.files[0]}">${date(r.date)}</a>${csv ? html` (<a href="/api/reports/${csv}" download>CSV</a>)` : nothing}`;
  };
  const [latest, ...earlier] = body.reports;
  draw(
    box,
    html`<h2>Nightly breach reports</h2><p id="latest-report">Latest: ${link(latest)}</p>
    ${
      earlier.length
        ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Earlier reports (${earlier.length})</span></summary><div class="nhsuk-details__text"><ul class="nhsuk-list" id="earlier-reports">${earlier
            .slice(0, 60)
            .map((/** @type {any} */ r) => html`<li>${link(r)}</li>`)}</ul></div></details>`
        : nothing
    }`,
  );
}
