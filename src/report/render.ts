// The report as files: one self-contained HTML page (inline CSS and SVG, prints to A4 with the
// trust's name, page numbers and the OFFICIAL-SENSITIVE marking), a CSV of every patient listed,
// and the JSON of everything in the HTML. The HTML is for people: words, not codes (labels.ts).
import { displayDate, type IsoDate } from '../vocabulary/calendar.ts';
import { CLOCK_LABELS, stageLabel, valueLabel } from '../vocabulary/labels.ts';
import type { TrendPoint } from '../cwt/backlog.ts';
import { csvCell } from '../csv.ts';
import { allocationText, type Allocation } from './allocation.ts';
import type { BreachedStop, Counts, ListedPatient, Performance, Report, SubsequentAwaited } from './report.ts';
import type { Proportion } from '../cwt/inequalities.ts';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const LABELS = CLOCK_LABELS;
const date = (d: IsoDate | null | undefined) => (d ? displayDate(d) : '');
const nhs = (n: string) => n.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');
/** The handling marking: the report lists NHS numbers and names (Government Security Classifications). */
export const MARKING = 'OFFICIAL-SENSITIVE';
/** A string as a CSS string literal inside <style>, for the page-margin boxes (no way out of the string or the element). */
const cssString = (v: string) => `"${v.replace(/[\\"\n\r<>]/g, ' ')}"`;

export function renderJson(report: Report): string {
  return [...jsonPieces(report)].join('');
}

/**
 * JSON.stringify(report, null, 2) and a line end, piece by piece (an array an element at a time),
 * so the file is written without ever holding it whole: at 360,000 open pathways it is 75 MB.
 */
export function* jsonPieces(report: Report): Generator<string> {
  yield* pretty(report, '');
  yield '\n';
}

function* pretty(value: unknown, indent: string): Generator<string> {
  const inner = `${indent}  `;
  const whole = (v: unknown) => (JSON.stringify(v, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
  if (Array.isArray(value) && value.length > 0) {
    yield '[\n';
    for (const [i, v] of value.entries())
      yield `${inner}${(JSON.stringify(v, null, 2) ?? 'null').replaceAll('\n', `\n${inner}`)}${i < value.length - 1 ? ',' : ''}\n`;
    yield `${indent}]`;
    return;
  }
  const entries =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value).filter(([, v]) => v !== undefined)
      : [];
  if (entries.length === 0) {
    yield whole(value);
    return;
  }
  yield '{\n';
  for (const [i, [k, v]] of entries.entries()) {
    yield `${inner}${JSON.stringify(k)}: `;
    yield* pretty(v, inner);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

const CSV_HEADER = [
  'list',
  'pathway_id',
  'nhs_number',
  'patient_name',
  'tumour_site',
  'provider',
  'stage',
  'clock',
  'days',
  'breach_date',
  'stop',
  'next_action',
  'next_action_due',
  'breach_allocated_to',
  'treated_by',
  'accountable_provider',
  'allocation',
];

/** Who the breach is allocated to: provider:share, as national processing shares it. */
const breachShares = (a: Allocation) =>
  a.shares
    .filter((x) => x.breaches > 0)
    .map((x) => `${x.provider}:${x.breaches}`)
    .join(' ');

export function renderCsv(report: Report): string {
  return [...csvLines(report)].join('');
}

/** The CSV a line at a time: every listed patient, breached stop and treatment awaited after the first. */
export function* csvLines(report: Report): Generator<string> {
  const line = (r: unknown[]) => `${r.map(csvCell).join(',')}\n`;
  yield line(CSV_HEADER);
  const patient = (list: string, p: ListedPatient) =>
    line([
      list,
      p.pathwayId,
      p.nhsNumber,
      p.patientName,
      p.tumourSite,
      p.provider,
      p.stage,
      'd62',
      p.daysWaiting,
      p.breachDate,
      '',
      p.nextAction,
      p.nextActionDue,
      '',
      '',
      '',
      '',
    ]);
  const stop = (list: string, s: BreachedStop) =>
    line([
      list,
      s.pathwayId,
      s.nhsNumber,
      s.patientName,
      s.tumourSite,
      s.provider,
      '',
      s.clock,
      s.days,
      '',
      s.stop,
      '',
      '',
      s.allocation ? breachShares(s.allocation) : '',
      s.allocation?.treating ?? '',
      s.allocation?.accountable ?? '',
      s.allocation ? allocationText(s.allocation) : '',
    ]);
  for (const p of report.newBreaches) yield patient('new_breach', p);
  for (const p of report.breachingWithin7Days) yield patient('breaching_within_7_days', p);
  const within7 = new Set(report.breachingWithin7Days);
  for (const p of report.breachingWithin14Days) if (!within7.has(p)) yield patient('breaching_in_8_to_14_days', p);
  for (const s of report.breachedStops.monthToDate) yield stop('breached_stop_month_to_date', s);
  for (const s of report.breachedStops.lastMonth) yield stop('breached_stop_last_month', s);
  // Issue #14: the 31-day PTL of treatments after the first.
  for (const p of report.subsequentAwaited)
    yield line([
      'subsequent_treatment_awaited',
      p.pathwayId,
      p.nhsNumber,
      p.patientName,
      p.tumourSite,
      p.provider,
      `treatment ${p.treatment}`,
      'd31',
      p.daysWaiting,
      p.breachDate,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
}

/** What one HTML page shows: the whole trust, or one provider's lists. */
export interface HtmlScope {
  /** One provider's page: its backlog and its patients only. */
  provider?: string;
  /** On the trust's page: the patient lists are in these provider pages ([provider, file name]) instead. */
  providerPages?: [string, string][];
}

export function renderHtml(report: Report, scope: HtmlScope = {}): string {
  const b = report.backlog;
  const { provider } = scope;
  const mine = <T extends { provider: string | null }>(list: T[]) =>
    provider === undefined ? list : list.filter((p) => (p.provider ?? 'unknown') === provider);
  const change = (key: keyof Counts) =>
    provider === undefined
      ? `<small>${signed(b.change.dayBefore[key])} on the day, ${signed(b.change.weekBefore[key])} on the week</small>`
      : '';
  const tiles = provider === undefined ? b : (b.byProvider[provider] ?? { open: 0, over62: 0, over104: 0 });
  const within14 = report.breachingWithin14Days.filter((p) => !report.breachingWithin7Days.includes(p));
  const lists = scope.providerPages
    ? `<h2>Patients to chase, by provider</h2>
<p class="note">${report.newBreaches.length + report.breachingWithin14Days.length + report.breachedStops.monthToDate.length + report.breachedStops.lastMonth.length} patients are listed in all; each provider's list is a page of its own.</p>
<table><thead><tr><th>Provider</th><th class="n">New breaches</th><th class="n">Breaching within 14 days</th><th class="n">Breached stops</th></tr></thead><tbody>${scope.providerPages
        .map(([name, file]) => {
          const of = <T extends { provider: string | null }>(list: T[]) =>
            list.filter((p) => (p.provider ?? 'unknown') === name).length;
          return `<tr><td><a href="${esc(file)}">${esc(name)}</a></td><td class="n">${of(report.newBreaches)}</td><td class="n">${of(report.breachingWithin14Days)}</td><td class="n">${of(report.breachedStops.monthToDate) + of(report.breachedStops.lastMonth)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : `<h2>New breaches today (${mine(report.newBreaches).length})</h2>
${patients(mine(report.newBreaches))}
<h2>Will breach within 7 days unless treated (${mine(report.breachingWithin7Days).length})</h2>
${patients(mine(report.breachingWithin7Days))}
<h2>Will breach in 8 to 14 days unless treated (${mine(within14).length})</h2>
${patients(mine(within14))}`;
  const trustWide =
    provider === undefined
      ? `${barChart(b.byTumourSite)}
${countsTable('Tumour site', b.byTumourSite)}
${countsTable('Provider', b.byProvider)}
<h2>90-day trend of the 62-day backlog</h2>
${trendChart(report.trend)}`
      : '';
  const daysSection = provider === undefined ? whereTheDaysGo(report.timedPathways) : '';
  const inequalitySection = provider === undefined ? whoWaitsLongest(report.inequalities) : '';
  const performanceSection =
    provider === undefined
      ? `<h2>Performance against the national standards</h2>
${performance('Month to date', report.performance.monthToDate, report.performance.targets)}
${d31Parts(report.performance.monthToDate, report.performance.targets.d31)}
${performance('Last complete month', report.performance.lastMonth, report.performance.targets)}
${d31Parts(report.performance.lastMonth, report.performance.targets.d31)}`
      : '';
  const subsequentSection = scope.providerPages ? '' : awaited(mine(report.subsequentAwaited));
  const stopsSection = scope.providerPages
    ? ''
    : `<h2>Breached clock stops for review</h2>
${stops('Month to date', mine(report.breachedStops.monthToDate))}
${stops('Last complete month', mine(report.breachedStops.lastMonth))}`;
  const trust = report.trustName ?? 'Trust name not set (openptl settings --trust-name NAME)';
  const title = `Cancer PTL breach report, ${displayDate(report.asOf)}${provider === undefined ? '' : `, provider ${provider}`}`;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${esc(`${title}: ${trust}`)}</title>
<style>
@page { size: A4; margin: 16mm 14mm;
  @top-left { content: ${cssString(trust)}; font: 8pt Arial, sans-serif; }
  @top-right { content: "${MARKING}"; font: bold 9pt Arial, sans-serif; }
  @bottom-left { content: ${cssString(title)}; font: 8pt Arial, sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, sans-serif; }
  @bottom-center { content: "${MARKING}"; font: bold 9pt Arial, sans-serif; } }
body { font: 11pt/1.4 Arial, Helvetica, sans-serif; color: #212b32; margin: 0 auto; max-width: 190mm; }
.marking { font-weight: bold; text-align: center; letter-spacing: 0.05em; margin: 0 0 2mm; }
@media print { .marking { display: none; } }
.trust { font-size: 12pt; color: #4c6272; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 2px solid #005eb8; }
.tiles { display: flex; gap: 4mm; } .tile { flex: 1; border: 1px solid #d8dde0; padding: 3mm; }
.tile b { display: block; font-size: 20pt; } .tile small { color: #4c6272; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; page-break-inside: auto; } tr { page-break-inside: avoid; }
th, td { border-bottom: 1px solid #d8dde0; padding: 1mm 1.5mm; text-align: left; } td.n, th.n { text-align: right; }
.miss { color: #d5281b; font-weight: bold; } .nw { white-space: nowrap; } table.parts { width: auto; margin-top: 2mm; } svg { width: 100%; height: auto; margin: 4mm 0; } .note { color: #4c6272; font-size: 9pt; }
</style></head><body>
<p class="marking">${MARKING}</p>
<p class="trust">${esc(trust)}</p>
<h1>${esc(title)}</h1>
<p class="note">As recorded by the end of ${esc(displayDate(report.asOf))} (UK time). Days waiting are 62-day clock days (NHS Cancer Waiting Times rules). It lists patients by name and NHS number: handle as ${MARKING}.</p>
<h2>62-day backlog</h2>
<div class="tiles">
<div class="tile">Open pathways<b>${tiles.open}</b>${change('open')}</div>
<div class="tile">Over 62 days<b>${tiles.over62}</b>${change('over62')}</div>
<div class="tile">Over 104 days<b>${tiles.over104}</b>${change('over104')}</div>
</div>
${trustWide}
${lists}
${subsequentSection}
${performanceSection}
${daysSection}
${inequalitySection}
${stopsSection}
<p class="marking">${MARKING}</p>
</body></html>
`;
}

function countsTable(label: string, rows: Record<string, Counts>): string {
  const body = Object.entries(rows)
    .map(
      ([k, c]) =>
        `<tr><td>${esc(valueLabel(k))}</td><td class="n">${c.open}</td><td class="n">${c.over62}</td><td class="n">${c.over104}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>${label}</th><th class="n">Open</th><th class="n">Over 62</th><th class="n">Over 104</th></tr></thead><tbody>${body}</tbody></table>`;
}

function patients(list: ListedPatient[]): string {
  if (list.length === 0) return '<p class="note">None.</p>';
  const body = list
    .map(
      (p) =>
        `<tr><td>${esc(p.pathwayId)}</td><td>${esc(p.patientName ?? '')}</td><td class="nw">${esc(nhs(p.nhsNumber))}</td><td>${esc(valueLabel(p.tumourSite))}</td><td>${esc(p.provider ?? '')}</td><td>${esc(stageLabel(p.stage))}</td><td class="n">${p.daysWaiting}</td><td class="nw">${esc(date(p.breachDate))}</td><td>${esc(p.nextAction)}</td><td class="nw">${esc(date(p.nextActionDue))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Pathway</th><th>Patient</th><th>NHS number</th><th>Tumour site</th><th>Provider</th><th>Stage</th><th class="n">Days</th><th>Breach date</th><th>Next action</th><th>Due</th></tr></thead><tbody>${body}</tbody></table>`;
}

function performance(title: string, perf: Performance, targets: Record<string, number>): string {
  const sites = [...new Set(Object.values(perf.standards).flatMap((s) => Object.keys(s)))].sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a < b ? -1 : 1,
  );
  const cell = (name: 'fds' | 'd31' | 'd62', site: string) => {
    const c = perf.standards[name][site];
    if (!c) return '<td class="n">–</td>';
    return `<td class="n${c.rate !== null && c.rate < targets[name]! ? ' miss' : ''}">${pct(c.rate)} <small>(${c.met}/${c.stopped})</small></td>`;
  };
  const head = (['fds', 'd31', 'd62'] as const)
    .map((n) => `<th class="n">${LABELS[n]} (target ${pct(targets[n]!)})</th>`)
    .join('');
  const body = sites
    .map(
      (s) =>
        `<tr><td>${esc(s === 'all' ? 'All tumour sites' : valueLabel(s))}</td>${cell('fds', s)}${cell('d31', s)}${cell('d62', s)}</tr>`,
    )
    .join('');
  return `<h3>${title}: ${esc(date(perf.period.from))} to ${esc(date(perf.period.to))}</h3><table><thead><tr><th>Tumour site</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

// ---- timed pathways (issue #26) ----

/** Where the days go: per timed pathway, each step's share met on time, and the step that adds the most days. */
function whereTheDaysGo(t: Report['timedPathways']): string {
  const shown = t.pathways.filter((p) => p.patients > 0);
  const body = shown
    .map((p) => {
      const slowest = p.steps.find((s) => s.name === p.slowestStep);
      const steps = p.steps
        .filter((s) => s.due > 0)
        .map((s) => `${esc(s.name)} ${pct(s.metShare)}`)
        .join('; ');
      const where = slowest
        ? `${esc(slowest.name)}: median ${slowest.medianDays} days, 90th percentile ${slowest.p90Days}, against ${slowest.allowed} allowed; ${slowest.daysBeyond} days beyond`
        : 'No step beyond its days';
      return `<tr><td>${esc(p.label)}</td><td class="n">${p.patients}</td><td>${steps}</td><td>${where}</td></tr>`;
    })
    .join('');
  return `<h2>Where the days go: timed pathways, ${esc(date(t.from))} to ${esc(date(t.to))}</h2>
<p class="note">Milestones due in the ${t.weeks} weeks to the day before the report; met on time, of those due. A step runs from the milestone before; a patient still waiting counts with the days so far.</p>
${shown.length ? `<table><thead><tr><th>Timed pathway</th><th class="n">Patients</th><th>Met on time, by step</th><th>The step that adds the most days</th></tr></thead><tbody>${body}</tbody></table>` : '<p class="note">No milestones fell due.</p>'}`;
}

// ---- who waits longest (issue #27) ----

/** By deprivation quintile, suppressed: a count from 1 to 7, or one a total would give back, is shown as *. */
function whoWaitsLongest(split: Report['inequalities']): string {
  const n = (v: number | null) => (v === null ? '*' : String(v));
  const rate = (p: Proportion) =>
    `${p.rate === null ? (p.count === null || p.of === null ? '*' : '–') : pct(p.rate)} <small>(${n(p.count)}/${n(p.of)})</small>${p.ratio !== null && p.lower !== null ? ` <small>×${p.ratio.toFixed(2)} (${p.lower.toFixed(2)}–${p.upper!.toFixed(2)})</small>` : ''}`;
  const body = [...split.groups, split.total]
    .map(
      (g) =>
        `<tr><td>${esc(g.label)}${g.reference ? ' <small>(reference)</small>' : ''}</td><td class="n">${n(g.open)}</td><td class="n">${rate(g.rates.over62)}</td><td class="n">${rate(g.rates.d62)}</td><td class="n">${rate(g.rates.firstDna)}</td><td class="n">${rate(g.rates.earlyDiagnosis)}</td></tr>`,
    )
    .join('');
  return `<h2>Who waits longest: by deprivation</h2>
<p class="note">Index of Multiple Deprivation quintile of the patient's postcode in the trust's lookup (quintile 1, the most deprived 20%, is Core20). Open and over 62 days on the report date; the 62-day standard, missed first appointments and early diagnosis (stage 1 or 2 of staged cancers) from ${esc(date(split.period.from))} to ${esc(date(split.period.to))}. Small numbers are suppressed (*): a count from 1 to 7, and another wherever a total would give it back. Ratios against the least deprived quintile, with 95% intervals.</p>
<table><thead><tr><th>Quintile</th><th class="n">Open</th><th class="n">Over 62 days</th><th class="n">62-day met</th><th class="n">First appointment missed</th><th class="n">Stage 1 or 2</th></tr></thead><tbody>${body}</tbody></table>`;
}

// ---- treatments after the first (issue #14) ----

/** The 31-day standard in its two parts: first treatments and those after the first. */
function d31Parts(perf: Performance, target: number): string {
  const part = (name: string, cell: { stopped: number; met: number; rate: number | null } | undefined) =>
    `<tr><td>${name}</td><td class="n${cell && cell.rate !== null && cell.rate < target ? ' miss' : ''}">${cell ? `${pct(cell.rate)} <small>(${cell.met}/${cell.stopped})</small>` : '–'}</td></tr>`;
  return `<table class="parts"><thead><tr><th>31-day standard (target ${pct(target)}), all tumour sites</th><th class="n">Met</th></tr></thead><tbody>
${part('First and subsequent treatments together (the national measure)', perf.standards.d31.all)}${part('First treatments', perf.d31Parts.first.all)}${part('Subsequent treatments', perf.d31Parts.subsequent.all)}</tbody></table>`;
}

function awaited(list: SubsequentAwaited[]): string {
  const body = list
    .map(
      (p) =>
        `<tr><td>${esc(p.pathwayId)}</td><td>${esc(p.patientName ?? '')}</td><td class="nw">${esc(nhs(p.nhsNumber))}</td><td>${esc(valueLabel(p.tumourSite))}</td><td>${esc(p.provider)}</td><td class="n">${p.treatment}</td><td class="nw">${esc(date(p.start))}</td><td class="n">${p.daysWaiting}</td><td class="nw${p.breached ? ' miss' : ''}">${esc(date(p.breachDate))}</td></tr>`,
    )
    .join('');
  return `<h2>31-day PTL: treatments after the first awaited (${list.length})</h2>${list.length ? `<table><thead><tr><th>Pathway</th><th>Patient</th><th>NHS number</th><th>Tumour site</th><th>Provider</th><th class="n">Treatment</th><th>31-day start</th><th class="n">Days</th><th>Breach date</th></tr></thead><tbody>${body}</tbody></table>` : '<p class="note">None.</p>'}`;
}

function stops(title: string, list: BreachedStop[]): string {
  const body = list
    .map(
      (s) =>
        `<tr><td>${esc(s.pathwayId)}</td><td>${esc(s.patientName ?? '')}</td><td class="nw">${esc(nhs(s.nhsNumber))}</td><td>${LABELS[s.clock]}${s.treatment && s.treatment > 1 ? ` (treatment ${s.treatment})` : ''}</td><td>${esc(valueLabel(s.tumourSite))}</td><td>${esc(s.provider)}</td><td class="nw">${esc(date(s.stop))}</td><td class="n">${s.days}</td><td>${esc(s.allocation?.treating ?? '')}</td><td>${esc(s.allocation?.accountable ?? '')}</td><td>${esc(s.allocation ? allocationText(s.allocation) : '')}</td></tr>`,
    )
    .join('');
  return `<h3>${title} (${list.length})</h3>${list.length ? `<table><thead><tr><th>Pathway</th><th>Patient</th><th>NHS number</th><th>Standard</th><th>Tumour site</th><th>Provider</th><th>Stopped</th><th class="n">Days</th><th>Treated by</th><th>Accountable investigating provider</th><th>Breach allocated (62-day)</th></tr></thead><tbody>${body}</tbody></table>` : '<p class="note">None.</p>'}`;
}

function barChart(bySite: Record<string, Counts>): string {
  const entries = Object.entries(bySite);
  if (entries.length === 0) return '';
  const max = Math.max(1, ...entries.map(([, c]) => c.open));
  const rowH = 16;
  const bars = entries
    .map(([site, c], i) => {
      const y = i * rowH;
      // Room for the longest site's words ("Non-specific symptoms (RDC)") left of the bars.
      const w = (n: number) => ((n / max) * 330).toFixed(1);
      return `<text x="168" y="${y + 12}" text-anchor="end">${esc(valueLabel(site))}</text><rect x="172" y="${y + 2}" width="${w(c.open)}" height="12" fill="#aeb7bd"/><rect x="172" y="${y + 2}" width="${w(c.over62)}" height="12" fill="#d5281b"/><text x="${(176 + Number(w(c.open))).toFixed(1)}" y="${y + 12}">${c.open} (${c.over62} over 62)</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 640 ${entries.length * rowH + 4}" role="img" aria-label="Open pathways and over 62 days by tumour site" font-size="10" font-family="Arial">${bars}</svg>`;
}

function trendChart(points: TrendPoint[]): string {
  if (points.length === 0) return '';
  const w = 640,
    h = 180,
    left = 40,
    bottom = 20;
  const max = Math.max(1, ...points.map((p) => p.over62));
  const x = (i: number) => (left + (i / Math.max(1, points.length - 1)) * (w - left - 10)).toFixed(1);
  const y = (v: number) => (h - bottom - (v / max) * (h - bottom - 10)).toFixed(1);
  const line = (key: 'over62' | 'over104') => points.map((p, i) => `${i ? 'L' : 'M'}${x(i)},${y(p[key])}`).join(' ');
  const ticks = [0, Math.round(max / 2), max]
    .map(
      (v) =>
        `<text x="${left - 4}" y="${y(v)}" text-anchor="end">${v}</text><line x1="${left}" x2="${w - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#d8dde0"/>`,
    )
    .join('');
  const labels = [0, Math.floor(points.length / 2), points.length - 1]
    .map((i) => `<text x="${x(i)}" y="${h - 4}" text-anchor="middle">${esc(date(points[i]!.date))}</text>`)
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Patients over 62 and over 104 days, daily for 90 days" font-size="10" font-family="Arial">${ticks}${labels}<path d="${line('over62')}" fill="none" stroke="#d5281b" stroke-width="2"/><path d="${line('over104')}" fill="none" stroke="#330072" stroke-width="2" stroke-dasharray="4 2"/><text x="${left + 6}" y="14" fill="#d5281b">over 62 days</text><text x="${left + 90}" y="14" fill="#330072">over 104 days</text></svg>`;
}
