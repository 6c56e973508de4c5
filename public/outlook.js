// @ts-check
// The stewards' Outlook (issue #23): where the over-62 backlog is going for the trust, a tumour
// site or a provider. A fan chart (the band holding 8 in 10, the runs widened by the model's error, their middle
// line, the backlog as recorded before, the trust's target), the chance of meeting the target,
// levers that forecast again, the resources bottlenecks first with what each would need, and the
// weekly flows in and out. Each chart has its figures in a table beside it. GET /api/forecast.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, vocabulary } from './api.js';
import { date, draw, label, reasonOf } from './format.js';
import { choices, dateInput, onSubmit, options, readDate, showProblem } from './forms.js';

const main = document.getElementById('main');
/** @type {{ fan: any, flows: any }} the Chart.js charts drawn */
const charts = { fan: null, flows: null };
/** What the page's address may set, as the API's query parameters. */
const KEYS = ['site', 'provider', 'capacity', 'demand', 'target', 'confidence', 'solve'];
/** The chances a target may be asked to be met with (the server's default: 80 in 100). */
const CONFIDENCES = /** @type {[string, string][]} */ ([
  ['0.5', '50 in 100'],
  ['0.8', '80 in 100'],
  ['0.9', '90 in 100'],
  ['0.95', '95 in 100'],
]);
const short = (/** @type {string} */ d) => date(d).replace(/ \d{4}$/, '');
const pct = (/** @type {number | null | undefined} */ p) =>
  p === null || p === undefined ? '–' : `${Math.round(p * 100)}%`;
const whole = (/** @type {number | null | undefined} */ n) =>
  n === null || n === undefined ? '–' : String(Math.round(n));
/**
 * The last forecast drawn, and for which site and provider: a change the server refuses leaves it
 * on the page, with the levers and their lists, so the steward corrects the change in place.
 * @type {{ scope: string, forecast: any } | null}
 */
let lastDrawn = null;

/** @param {URLSearchParams} params */
export async function showOutlook(params) {
  document.title = 'Outlook – OpenPTL';
  const { tumourSites, providers } = await vocabulary();
  const query = new URLSearchParams();
  for (const key of KEYS) for (const value of params.getAll(key)) if (value) query.append(key, value);
  const scope = params.get('site')
    ? label(params.get('site'))
    : params.get('provider')
      ? `provider ${params.get('provider')}`
      : 'the trust';
  draw(
    main,
    html`<h1 tabindex="-1">Outlook: patients waiting over 62 days <span class="nhsuk-caption-m">${scope}</span></h1>
      <p id="outlook-status" role="status">Working out the forecast from the trust's own history: this can take a minute${params.get('solve') ? ', and longer to find the capacity needed' : ''}.</p>
      <div id="outlook"></div>`,
  );
  main?.querySelector('h1')?.focus();
  const { ok, body } = await api('GET', `/api/forecast?${query}`);
  const status = document.getElementById('outlook-status');
  const box = document.getElementById('outlook');
  if (!box || !status) return; // the page has changed meanwhile
  const within = `${params.get('site') ?? ''}|${params.get('provider') ?? ''}`;
  if (!ok) {
    const reason = reasonOf(body?.message) || 'The forecast could not be made.';
    if (lastDrawn?.scope === within) {
      status.textContent = `Not forecast again. Shown: the forecast before this change, as at ${date(lastDrawn.forecast.asOf)}.`;
      drawOutlook(box, lastDrawn.forecast, params, tumourSites, providers, body?.field);
      showProblem(document.getElementById('levers-problem'), reason, 'outlook-error');
      return;
    }
    status.textContent = '';
    draw(box, html`<div id="outlook-problem"></div><div id="levers"></div>`);
    drawLevers(params, tumourSites, providers, [], null, body?.field);
    showProblem(document.getElementById('outlook-problem'), reason, 'outlook-error');
    return;
  }
  lastDrawn = { scope: within, forecast: body };
  status.textContent = `Forecast as at ${date(body.asOf)}: ${body.runs} runs, ${body.weeks} weeks.`;
  drawOutlook(box, body, params, tumourSites, providers);
}

/** The target in words: "fewer than 100 over 62 days by 31 Mar 2027". @param {any} t */
const targetWords = (t) =>
  `${t.metric === 'open' ? `fewer than ${t.below} open pathways` : `fewer than ${t.below} over ${t.metric === 'over104' ? 104 : 62} days`} by ${date(t.on)}`;

/**
 * @param {HTMLElement} box
 * @param {any} f the forecast
 * @param {URLSearchParams} params
 * @param {string[]} tumourSites
 * @param {string[]} providers
 * @param {string} [field] the option the server refused, marked on its input
 */
function drawOutlook(box, f, params, tumourSites, providers, field) {
  const last = f.trajectory.at(-1);
  const target = f.target;
  draw(
    box,
    html`<div class="openptl-tiles">
        <div class="openptl-tile"><span>Over 62 days${f.history?.length ? ` on ${date(f.history.at(-1).weekEnding)}` : ''}</span><span class="openptl-tile__number" id="now-over62">${f.history?.at(-1)?.over62 ?? '–'}</span></div>
        <div class="openptl-tile openptl-tile--breach"><span>Forecast for ${date(last.weekEnding)} (middle of the runs)</span><span class="openptl-tile__number" id="forecast-over62">${whole(last.over62.p50)}</span></div>
        ${
          target
            ? html`<div class="openptl-tile openptl-tile--warn"><span>Chance of ${targetWords(target)}</span><span class="openptl-tile__number" id="target-probability">${pct(target.probability)}</span></div>`
            : html`<div class="openptl-tile"><span>No target set</span><span class="openptl-tile__number">–</span></div>`
        }
      </div>
      ${solveAnswer(f, params)}
      <h2>Over 62 days: recorded, then forecast</h2>
      <p class="nhsuk-body-s">The shaded band should hold the count 8 times in 10: the forecast's runs, widened by the model's own error in a forecast made 12 weeks earlier; the line through it is their middle.${target?.metric === 'over62' ? ` The dashed line is the target (${target.below}).` : ''}${target && target.on > last.weekEnding ? ` The target's date, ${date(target.on)}, is after the chart's last week: its chance is read on that date all the same.` : ''}</p>
      <div class="openptl-chart openptl-chart--tall"><canvas id="fan-chart" role="img" aria-label="Patients over 62 days: recorded each Sunday, then the forecast's middle and its band of 8 in 10 (the table below has the figures)"></canvas></div>
      <details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">The figures</span></summary><div class="nhsuk-details__text">${fanTable(f)}</div></details>
      <div id="levers"></div>
      <h2>Resources, bottlenecks first</h2>
      <ul class="nhsuk-list nhsuk-list--bullet" id="needed">${f.resources
        .slice(0, 3)
        .map((/** @type {any} */ r) => html`<li>${r.plain}</li>`)}</ul>
      <div class="openptl-table-wrap">${resourceTable(f.resources)}</div>
      <h2>Each week: referrals in, clock stops and removals out</h2>
      <div class="openptl-chart"><canvas id="flows-chart" role="img" aria-label="Referrals received against first treatments and pathways closed, each week: recorded, then forecast (the table below has the figures)"></canvas></div>
      <details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">The figures</span></summary><div class="nhsuk-details__text">${flowsTable(f)}</div></details>
      <p class="nhsuk-body-s">Made from what was recorded by the end of ${date(f.asOf)}: every open pathway carries on from where it stands and new referrals arrive, each step queueing for its clinic, test or treatment, ${f.runs} times over. How it is made and how well it did against what really happened: docs/forecast.md.</p>`,
  );
  drawLevers(params, tumourSites, providers, f.resources, target ?? null, field);
  drawCharts(f);
}

/**
 * What it would take: each resource solved for, the fewest extra slots a week meeting the target,
 * with a link that forecasts with that much more.
 * @param {any} f
 * @param {URLSearchParams} params
 */
function solveAnswer(f, params) {
  if (!f.solve || !f.target) return nothing;
  const confidence = `${Math.round(f.target.confidence * 100)} in 100`;
  /** @param {any} s */
  const tryIt = (s) => {
    const next = new URLSearchParams(params);
    next.delete('solve');
    next.append('capacity', `${s.resource}=+${s.extraPerWeek}/week`); // on top of the levers already set
    return `#/outlook?${next}`;
  };
  /** @param {any} s */
  const line = (s) => {
    const name = f.resources.find((/** @type {any} */ r) => r.resource === s.resource)?.label ?? s.resource;
    if (s.extraPerWeek === null)
      return html`<li data-solve="${s.resource}">${name}: even ${s.triedUpTo} more a week (${whole(s.capacityPerWeek)} now) does not meet it (a ${pct(s.probability)} chance).</li>`;
    if (s.extraPerWeek === 0)
      return html`<li data-solve="${s.resource}">${name}: met without more (a ${pct(s.probability)} chance).</li>`;
    return html`<li data-solve="${s.resource}">${name}: <strong>${s.extraPerWeek} more a week</strong> (${whole(s.capacityPerWeek)} now) meets it, a ${pct(s.probability)} chance${s.oneFewer ? `; ${s.oneFewer.extraPerWeek} more, ${pct(s.oneFewer.probability)}` : ''}. <a href="${tryIt(s)}">Forecast with ${s.extraPerWeek} more a week</a></li>`;
  };
  return html`<div class="nhsuk-inset-text" id="solve"><h2 class="nhsuk-heading-s">What it would take: ${targetWords(f.target)}, a chance of ${confidence}</h2>
    ${f.solve.length ? html`<ul class="nhsuk-list">${f.solve.map(line)}</ul>` : html`<p>No resource is a bottleneck: more capacity on one alone is not the answer.</p>`}
    ${
      f.solve.length && f.solve.every((/** @type {any} */ s) => s.extraPerWeek === null)
        ? html`<p id="solve-none">No one clinic, test or treatment alone brings it there. Try changes on several together (a change stays when you add the next), a later date, or a smaller chance.</p>`
        : nothing
    }</div>`;
}

/**
 * The levers: the scope, a change in one resource's capacity and in one site's referrals, the
 * target to try and the resource to find the capacity needed on. Drawn into #levers.
 * @param {URLSearchParams} params
 * @param {string[]} tumourSites
 * @param {string[]} providers
 * @param {any[]} resources
 * @param {any} target the forecast's target (the trust's unless another was tried)
 * @param {string} [field] the parameter the server refused
 */
function drawLevers(params, tumourSites, providers, resources, target, field) {
  const box = document.getElementById('levers');
  if (!box) return;
  const [firstCapacity = '', ...moreCapacity] = params.getAll('capacity');
  const [capResource = '', capChange = ''] = firstCapacity.split('=');
  const [demSite = '', demChange = ''] = (params.get('demand') ?? '').split('=');
  const tried = /^(open|over62|over104)<(\d+)@(\d{4}-\d{2}-\d{2})$/.exec(params.get('target') ?? '');
  const [, metric = target?.metric ?? 'over62', below = target ? String(target.below) : '', on = target?.on ?? ''] =
    tried ?? [];
  /** @param {string} id @param {string} text @param {[string, string][]} list @param {string} value */
  const select = (id, text, list, value) =>
    html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="${id}">${text}</label><select class="nhsuk-select" id="${id}" name="${id}">${options(list, value)}</select></div>`;
  /** @param {string} id @param {string} text @param {string} hint @param {string} value @param {boolean} wrong */
  const input = (id, text, hint, value, wrong) =>
    html`<div class="nhsuk-form-group${wrong ? ' nhsuk-form-group--error' : ''}"><label class="nhsuk-label" for="${id}">${text}</label><div class="nhsuk-hint" id="${id}-hint">${hint}</div><input class="nhsuk-input nhsuk-input--width-10${wrong ? ' nhsuk-input--error' : ''}" id="${id}" name="${id}" value=${value} aria-describedby="${id}-hint" autocomplete="off" spellcheck="false"></div>`;
  const known = resources.map((r) => /** @type {[string, string]} */ ([r.resource, r.label]));
  if (capResource && !known.some(([r]) => r === capResource)) known.unshift([capResource, capResource]);
  const solving = params.get('solve') ?? '';
  draw(
    box,
    html`<form id="outlook-levers" aria-labelledby="levers-title" @submit=${onSubmit(relever)}>
      <h2 id="levers-title">Try a change</h2>
      <div id="levers-problem"></div>
      <div class="openptl-filters">
      ${select('site', 'Tumour site', [['', 'All'], ...choices(tumourSites)], params.get('site') ?? '')}
      ${select('provider', 'Provider', [['', 'All'], ...choices(providers, String)], params.get('provider') ?? '')}
      ${select('capResource', 'Change the capacity of', [['', 'No change'], ...known], capResource)}
      ${input('capChange', 'By', 'such as +20% or +5/week', capChange, field === 'query.capacity')}
      ${select('demSite', 'Change the referrals for', [['', 'No change'], ...choices(tumourSites)], demSite)}
      ${input('demChange', 'By', 'such as +10% or -5%', demChange, field === 'query.demand')}
      </div>
      ${
        moreCapacity.length
          ? html`<p class="nhsuk-body-s" id="more-levers">Also forecast with: ${moreCapacity
              .map((c) => c.split('='))
              .map(([r = '', change]) => `${known.find(([k]) => k === r)?.[1] ?? r} ${change}`)
              .join('; ')}.${moreCapacity.map((c) => html`<input type="hidden" name="capacityMore" value=${c}>`)}</p>`
          : nothing
      }
      <div class="openptl-filters">
      ${select(
        'targetMetric',
        'Target',
        [
          ['over62', 'Fewer than this over 62 days'],
          ['over104', 'Fewer than this over 104 days'],
          ['open', 'Fewer than this open'],
        ],
        metric,
      )}
      ${input('targetBelow', 'Number', 'the trust’s target unless changed', below, field === 'query.target')}
      ${dateInput({ id: 'targetOn', name: 'targetOn', label: 'By', value: on, hint: 'For example, 31 3 2027', error: field === 'query.target' ? 'Check the target' : '' })}
      ${select('confidence', 'With a chance of', CONFIDENCES, params.get('confidence') ?? String(target?.confidence ?? 0.8))}
      ${select(
        'solve',
        'Find the extra capacity needed on',
        [['', 'Do not work it out'], ['all', 'Each bottleneck'], ...known],
        solving,
      )}
      </div>
      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit" id="reforecast">Forecast again</button>
    </form>`,
  );
}

/** The levers into the page's address: the view is made again from it (so Back undoes a change). @param {HTMLFormElement} form */
function relever(form) {
  const data = new FormData(form);
  const get = (/** @type {string} */ k) => String(data.get(k) ?? '').trim();
  const next = new URLSearchParams();
  if (get('site')) next.set('site', get('site'));
  if (get('provider')) next.set('provider', get('provider'));
  if (get('capResource') && get('capChange')) next.set('capacity', `${get('capResource')}=${get('capChange')}`);
  for (const more of data.getAll('capacityMore')) next.append('capacity', String(more));
  if (get('demSite') && get('demChange')) next.set('demand', `${get('demSite')}=${get('demChange')}`);
  const on = readDate(form, 'targetOn');
  if (typeof on !== 'string') {
    showProblem(document.getElementById('levers-problem'), `The target’s date ${on.problem}.`, 'levers-error');
    return;
  }
  if (get('targetBelow') || on) next.set('target', `${get('targetMetric')}<${get('targetBelow')}@${on}`);
  // The server's default is 80 in 100; a chance means nothing without a target.
  if (next.has('target') && get('confidence') !== '0.8') next.set('confidence', get('confidence'));
  if (get('solve')) next.set('solve', get('solve'));
  location.hash = `#/outlook?${next}`;
}

/** @param {any} f */
function fanTable(f) {
  const rows = [
    ...(f.history ?? []).map(
      (/** @type {any} */ h) =>
        html`<tr><th scope="row">${date(h.weekEnding)}</th><td class="nhsuk-table__cell--numeric">${h.over62}</td><td></td><td></td><td></td></tr>`,
    ),
    ...f.trajectory.map(
      (/** @type {any} */ w) =>
        html`<tr data-week="${w.weekEnding}"><th scope="row">${date(w.weekEnding)}</th><td></td><td class="nhsuk-table__cell--numeric">${whole(w.over62.p10)}</td><td class="nhsuk-table__cell--numeric" data-p50>${whole(w.over62.p50)}</td><td class="nhsuk-table__cell--numeric">${whole(w.over62.p90)}</td></tr>`,
    ),
  ];
  return html`<table class="nhsuk-table openptl-compact" id="fan-table"><caption class="nhsuk-table__caption">Over 62 days each Sunday</caption><thead><tr><th scope="col">Week ending</th><th scope="col" class="nhsuk-table__header--numeric">Recorded</th><th scope="col" class="nhsuk-table__header--numeric">Forecast, low (1 in 10 below)</th><th scope="col" class="nhsuk-table__header--numeric">Forecast, middle</th><th scope="col" class="nhsuk-table__header--numeric">Forecast, high (1 in 10 above)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** @param {any[]} resources */
function resourceTable(resources) {
  const num = (/** @type {unknown} */ v) => html`<td class="nhsuk-table__cell--numeric">${v}</td>`;
  return html`<table class="nhsuk-table openptl-compact" id="resource-table"><caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Each clinic, test and treatment: what it takes and what it has</caption>
    <thead><tr><th scope="col">Resource</th><th scope="col" class="nhsuk-table__header--numeric">Demand a week</th><th scope="col" class="nhsuk-table__header--numeric">Capacity a week</th><th scope="col" class="nhsuk-table__header--numeric">Waiting now</th><th scope="col" class="nhsuk-table__header--numeric">Weeks to clear</th><th scope="col" class="nhsuk-table__header--numeric">Use of capacity</th><th scope="col" class="nhsuk-table__header--numeric">Days waited: median (9 in 10 within)</th><th scope="col" class="nhsuk-table__header--numeric">Waiting list that keeps its share of 62 days</th></tr></thead>
    <tbody>${resources.map(
      (r) =>
        html`<tr data-resource="${r.resource}"><th scope="row">${r.label}${r.saturated ? html` <strong class="nhsuk-tag nhsuk-tag--red">Bottleneck</strong>` : nothing}</th>${num(whole(r.demandPerWeek))}${num(html`${whole(r.capacityPerWeek)}${r.capacityBasis.startsWith('lower') ? html`<span class="nhsuk-u-visually-hidden"> at least</span>+` : nothing}`)}${num(r.queue)}${num(r.weeksToClear === null ? (r.queue > r.targetQueue ? 'never at this capacity' : '–') : r.weeksToClear)}${num(pct(r.utilisation))}${num(r.waitDays.median === null ? '–' : `${r.waitDays.median} (${r.waitDays.p90 ?? '–'})`)}${num(`${whole(r.targetQueue)} (${r.targetWaitDays} days)`)}</tr>`,
    )}</tbody></table>
    <details class="nhsuk-details" id="resource-words"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">What the columns mean</span></summary><div class="nhsuk-details__text"><ul>
      <li><strong>Bottleneck</strong>: the step ran full (every slot used), or its waiting list grew clearly: its capacity, not its referrals, sets the pace. Such a step's capacity is what it got through; any other's, with <strong>+</strong>, is its busiest recent week: at least that.</li>
      <li><strong>Needed a week</strong> (the list above the table): enough to keep the step's average wait within a quarter of its share of 62 days, or to bring its waiting list down to that size within 26 weeks, whichever is more (Fong et al. 2022). It is more than the demand whenever there is a list to clear or waits vary.</li>
      <li><strong>Weeks to clear</strong>: at this capacity, until the waiting list is down to the size that keeps its share of 62 days; 0 when it is already there.</li>
      <li><strong>Use of capacity</strong>: demand over capacity; at 100% or more the waiting list grows. <strong>Days waited</strong>: from the need arising to the slot, for those seen in the last four weeks (a long wait with capacity to spare is booking ahead, not a lack of slots).</li>
    </ul></div></details>`;
}

/** @param {any} f */
function flowsTable(f) {
  // The first forecast week takes what was recorded in it up to the as-of day, unless that day was a
  // Sunday: then it ended the last week recorded.
  const first = f.flows.recorded.at(-1)?.weekEnding === f.asOf ? null : f.flows.forecast[0]?.weekEnding;
  const row = (
    /** @type {string} */ week,
    /** @type {unknown} */ a,
    /** @type {unknown} */ b,
    /** @type {unknown} */ c,
    forecast = false,
  ) =>
    html`<tr><th scope="row">${date(week)}${forecast ? (week === first ? ` (recorded to ${date(f.asOf)}, then forecast)` : ' (forecast)') : ''}</th><td class="nhsuk-table__cell--numeric">${a}</td><td class="nhsuk-table__cell--numeric">${b}</td><td class="nhsuk-table__cell--numeric">${c}</td></tr>`;
  return html`<table class="nhsuk-table openptl-compact" id="flows-table"><caption class="nhsuk-table__caption">Each week: in and out</caption><thead><tr><th scope="col">Week ending</th><th scope="col" class="nhsuk-table__header--numeric">Referrals in</th><th scope="col" class="nhsuk-table__header--numeric">First treatments</th><th scope="col" class="nhsuk-table__header--numeric">Ruled out or removed</th></tr></thead>
    <tbody>${f.flows.recorded.map((/** @type {any} */ w) => row(w.weekEnding, w.referred, w.treated, w.closed))}${f.flows.forecast.map((/** @type {any} */ w) => row(w.weekEnding, whole(w.referred.p50), whole(w.treated.p50), whole(w.closed.p50), true))}</tbody></table>`;
}

/** @param {any} f */
function drawCharts(f) {
  charts.fan?.destroy();
  charts.flows?.destroy();
  charts.fan = charts.flows = null;
  const Chart = /** @type {any} */ (window).Chart; // the UMD build, loaded by its own script tag
  if (!Chart) return;
  const history = f.history ?? [];
  const weeks = [
    ...history.map((/** @type {any} */ h) => h.weekEnding),
    ...f.trajectory.map((/** @type {any} */ w) => w.weekEnding),
  ];
  const gap = history.map(() => null);
  // The forecast starts from the last recorded Sunday, so the lines join.
  const joined = history.length ? [history.at(-1).over62] : [];
  const from = gap.slice(0, -1);
  /** @param {'p10' | 'p50' | 'p90'} p */
  const forecast = (p) => [...from, ...joined, ...f.trajectory.map((/** @type {any} */ w) => w.over62[p])];
  charts.fan = new Chart(document.getElementById('fan-chart'), {
    type: 'line',
    data: {
      labels: weeks.map(short),
      datasets: [
        { label: 'Forecast, low', data: forecast('p10'), borderColor: 'transparent', pointRadius: 0, fill: false },
        {
          label: 'Forecast, 8 in 10',
          data: forecast('p90'),
          borderColor: 'transparent',
          backgroundColor: 'rgba(213, 40, 27, 0.18)',
          pointRadius: 0,
          fill: '-1',
        },
        { label: 'Forecast, middle', data: forecast('p50'), borderColor: '#d5281b', pointRadius: 0 },
        {
          label: 'Recorded',
          data: [...history.map((/** @type {any} */ h) => h.over62), ...f.trajectory.map(() => null)],
          borderColor: '#005eb8',
          pointRadius: 2,
        },
        ...(f.target && f.target.metric === 'over62'
          ? [
              {
                label: `Target: fewer than ${f.target.below} by ${date(f.target.on)}`,
                data: weeks.map(() => f.target.below),
                borderColor: '#330072',
                borderDash: [6, 4],
                pointRadius: 0,
              },
            ]
          : []),
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { labels: { filter: (/** @type {any} */ item) => item.text !== 'Forecast, low' } } },
    },
  });
  charts.flows = flowsChart(Chart, f.flows);
}

/**
 * Referrals in against clock stops and removals out, each week: recorded, then the forecast's middle (dashed).
 * @param {any} Chart
 * @param {any} flows
 */
function flowsChart(Chart, flows) {
  const recorded = flows.recorded;
  const ahead = flows.forecast;
  const flowWeeks = [
    ...recorded.map((/** @type {any} */ w) => w.weekEnding),
    ...ahead.map((/** @type {any} */ w) => w.weekEnding),
  ];
  // The forecast weeks drawn dashed.
  const segment = {
    borderDash: (/** @type {any} */ ctx) => (ctx.p0DataIndex >= recorded.length - 1 ? [4, 3] : undefined),
  };
  const series = (/** @type {(w: any) => number} */ seen, /** @type {(w: any) => number} */ forecast) => [
    ...recorded.map(seen),
    ...ahead.map(forecast),
  ];
  return new Chart(document.getElementById('flows-chart'), {
    type: 'line',
    data: {
      labels: flowWeeks.map(short),
      datasets: [
        {
          label: 'Referrals in',
          data: series(
            (w) => w.referred,
            (w) => w.referred.p50,
          ),
          borderColor: '#005eb8',
          pointRadius: 0,
          segment,
        },
        {
          label: 'First treatments, ruled out and removed (out)',
          data: series(
            (w) => w.treated + w.closed,
            (w) => (w.treated.p50 ?? 0) + (w.closed.p50 ?? 0),
          ),
          borderColor: '#007f3b',
          pointRadius: 0,
          segment,
        },
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
}
