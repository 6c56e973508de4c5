// @ts-check
// Who waits longest (issue #27): the backlog, waits, performance against the standards, missed
// first appointments and early diagnosis by deprivation quintile (Core20 marked), age band, sex or
// ethnic group, each rate with its ratio to the reference group and a 95% interval. Viewers see
// the suppressed figures (small numbers shown as *, so no patient can be worked out); the server
// decides, by the role.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, canRecord, vocabulary } from './api.js';
import { date, draw, focusFirst, percent } from './format.js';
import { choices, onSubmit, options } from './forms.js';
import { today } from './live.js';

const main = document.getElementById('main');

/** @type {[string, string][]} */
const SPLITS = [
  ['deprivation', 'Deprivation (IMD quintile)'],
  ['age', 'Age band'],
  ['sex', 'Sex'],
  ['ethnicity', 'Ethnic group'],
];
/** @type {[string, string][]} */
const PERIODS = [
  ['3', 'Last 3 months'],
  ['6', 'Last 6 months'],
  ['12', 'Last 12 months'],
];

/**
 * The first day of the last `months` months to `day`.
 * @param {string} day
 * @param {number} months
 */
function periodFrom(day, months) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A count, or * when it is suppressed. @param {number | null} n */
const count = (n) =>
  n === null
    ? html`<span title="suppressed: a small number">*</span><span class="nhsuk-u-visually-hidden"> (suppressed)</span>`
    : String(n);

/**
 * A rate with its count and denominator, and its ratio to the reference group with the 95% interval.
 * @param {any} p
 * @param {boolean} withRatio
 */
function rate(p, withRatio = true) {
  const share = p.rate === null ? (p.count === null || p.of === null ? '*' : '–') : percent(p.rate);
  const ratio =
    !withRatio || p.ratio === null
      ? nothing
      : html`<br><span class="openptl-share">× ${p.ratio.toFixed(2)}${p.lower === null ? '' : ` (${p.lower.toFixed(2)} to ${p.upper.toFixed(2)})`}</span>`;
  return html`${share} <span class="openptl-share">${count(p.count)} of ${count(p.of)}</span>${ratio}`;
}

/** @param {URLSearchParams} params */
export async function showInequalities(params) {
  document.title = 'Inequalities – OpenPTL';
  const { tumourSites, providers } = await vocabulary();
  const by = SPLITS.some(([k]) => k === params.get('by')) ? String(params.get('by')) : 'deprivation';
  const months = PERIODS.some(([k]) => k === params.get('months')) ? String(params.get('months')) : '12';
  const day = await today();
  const query = new URLSearchParams({ by, from: periodFrom(day, Number(months)) });
  for (const key of ['tumourSite', 'provider']) {
    const v = params.get(key);
    if (v) query.set(key, v);
  }
  const { body } = await api('GET', `/api/inequalities?${query}`);
  if (!body?.groups) return;
  const filter = (/** @type {HTMLFormElement} */ form) => {
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
    location.hash = `#/inequalities?${next}`;
  };
  /** @param {string} name @param {string} text @param {[string, string][]} list @param {string | null} value */
  const select = (name, text, list, value) =>
    html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="i-${name}">${text}</label><select class="nhsuk-select" id="i-${name}" name="${name}">${options(list, value)}</select></div>`;
  const rows = [...body.groups, body.total];
  /** @param {any} g */
  const head = (g) =>
    html`<th scope="row">${g.label}${g.core20 ? html` <strong class="nhsuk-tag nhsuk-tag--orange">Core20</strong>` : nothing}${g.reference ? html` <strong class="nhsuk-tag nhsuk-tag--grey">Reference</strong>` : nothing}</th>`;
  /** @param {string} text */
  const th = (text) => html`<th scope="col" class="nhsuk-table__header--numeric">${text}</th>`;
  const reference = body.groups.find((/** @type {any} */ g) => g.reference);
  draw(
    main,
    html`
    <h1 tabindex="-1">Who waits longest</h1>
    <p class="nhsuk-body-s">Open pathways on ${date(body.asOf)}; the standards, missed first appointments and early diagnosis from ${date(body.period.from)} to ${date(body.period.to)}, as recorded by the end of each day. Ratios are against ${reference ? html`<strong>${reference.label}</strong>` : 'a reference group (none has pathways)'}, with a 95% confidence interval: an interval that does not include 1 is unlikely to be chance.</p>
    ${
      body.suppressed
        ? html`<div class="nhsuk-inset-text" id="suppressed"><p>Small numbers are suppressed: a count from 1 to 7 is shown as *, and so is another count wherever a total would give it back (NHS statistical disclosure practice).</p></div>`
        : nothing
    }
    <form id="inequality-filters" class="openptl-filters" aria-label="Filters" @submit=${onSubmit(filter)}>
      ${select('by', 'Split by', SPLITS, by)}
      ${select('tumourSite', 'Tumour site', [['', 'All'], ...choices(tumourSites)], params.get('tumourSite'))}
      ${select('provider', 'Provider', [['', 'All'], ...choices(providers, String)], params.get('provider'))}
      ${select('months', 'Period', PERIODS, months)}
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Apply filters</button>
    </form>
    ${
      by === 'deprivation' && canRecord()
        ? html`<p><a href="#/ptl?deprivationQuintile=1&breached=true" id="core20-ptl">List the Core20 patients over 62 days</a></p>`
        : nothing
    }
    <h2>The backlog and waits on ${date(body.asOf)}</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="inequality-backlog"><caption class="nhsuk-u-visually-hidden">Open pathways by group</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Group</th>${th('Open')}${th('Over 62 days (ratio)')}${th('Over 104 days')}${th('Median days')}${th('90th percentile days')}</tr></thead>
      <tbody>${rows.map(
        (g) =>
          html`<tr data-group="${g.group}">${head(g)}<td class="nhsuk-table__cell--numeric">${count(g.open)}</td><td class="nhsuk-table__cell--numeric">${rate(g.rates.over62, g.group !== 'all')}</td><td class="nhsuk-table__cell--numeric">${count(g.over104)}</td><td class="nhsuk-table__cell--numeric">${g.medianDays ?? '–'}</td><td class="nhsuk-table__cell--numeric">${g.p90Days ?? '–'}</td></tr>`,
      )}</tbody></table></div>
    <h2>In the period</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table openptl-compact" id="inequality-period"><caption class="nhsuk-u-visually-hidden">Standards met, missed first appointments and early diagnosis by group</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Group</th>${th('28-day FDS met')}${th('31-day met')}${th('62-day met')}${th('First appointment missed')}${th('Diagnosed at stage 1 or 2')}</tr></thead>
      <tbody>${rows.map(
        (g) =>
          html`<tr data-group="${g.group}">${head(g)}${['fds', 'd31', 'd62', 'firstDna', 'earlyDiagnosis'].map(
            (m) =>
              html`<td class="nhsuk-table__cell--numeric" data-measure="${m}">${rate(g.rates[m], g.group !== 'all')}</td>`,
          )}</tr>`,
      )}</tbody></table></div>
    <p class="nhsuk-body-s">Deprivation: the Index of Multiple Deprivation decile of the patient's postcode in the trust's lookup, in quintiles (1, the most deprived 20% of areas in England, is Core20); a postcode not in the lookup is "not known". Age at referral. Early diagnosis: stage 1 or 2 among cancers told in the period with a stage group from 1 to 4.</p>`,
  );
  focusFirst(main, 'h1');
}
