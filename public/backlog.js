// The backlog view: live tiles, the two charts, and the backlog by tumour site and by stage.
// Every number links to the PTL filtered to those patients (ptl.js reads these URLs).
import { api } from './api.js';
import { latestCounts } from './live.js';
import { esc, label } from './format.js';

const main = document.getElementById('main');
const charts = [];

export async function showBacklog() {
  document.title = 'Backlog – OpenPTL';
  const [{ body: counts }, { body: trend }] = await Promise.all([api('GET', '/api/backlog'), api('GET', '/api/backlog/trend?days=90')]);
  const c = latestCounts() ?? counts;
  const tile = (key, text, cls, href) => `<a class="openptl-tile ${cls}" data-tile="${key}" href="${href}"><span>${text}</span><span class="openptl-tile__number">${c[key]}</span></a>`;
  const rows = (map, filter) => Object.entries(map).sort((a, b) => b[1].over62 - a[1].over62 || b[1].open - a[1].open)
    .map(([k, v]) => `<tr class="nhsuk-table__row"><td class="nhsuk-table__cell"><a href="#/ptl?${filter}=${encodeURIComponent(k)}">${esc(label(k))}</a></td><td class="nhsuk-table__cell nhsuk-table__cell--numeric"><a href="#/ptl?${filter}=${encodeURIComponent(k)}">${v.open}</a></td><td class="nhsuk-table__cell nhsuk-table__cell--numeric"><a href="#/ptl?${filter}=${encodeURIComponent(k)}&breached=true">${v.over62}</a></td><td class="nhsuk-table__cell nhsuk-table__cell--numeric"><a href="#/ptl?${filter}=${encodeURIComponent(k)}&minDays=105">${v.over104}</a></td></tr>`).join('');
  const table = (caption, map, filter) => `<table class="nhsuk-table"><caption class="nhsuk-table__caption">${caption}</caption><thead class="nhsuk-table__head"><tr><th scope="col">${filter === 'tumourSite' ? 'Tumour site' : 'Stage'}</th><th scope="col" class="nhsuk-table__header--numeric">Open</th><th scope="col" class="nhsuk-table__header--numeric">Over 62</th><th scope="col" class="nhsuk-table__header--numeric">Over 104</th></tr></thead><tbody>${rows(map, filter)}</tbody></table>`;
  main.innerHTML = `
    <h1>62-day backlog <span class="nhsuk-caption-m">as of <span id="as-of">${esc(c.asOf)}</span>, live</span></h1>
    <div class="openptl-tiles">
      ${tile('open', 'Open pathways', '', '#/ptl')}
      ${tile('over62', 'Over 62 days', 'openptl-tile--breach', '#/ptl?breached=true')}
      ${tile('over104', 'Over 104 days', 'openptl-tile--harm', '#/ptl?minDays=105')}
      ${tile('fdsOverdue', 'FDS overdue (over 28 days, not told)', 'openptl-tile--warn', '#/ptl?fdsOverdue=true')}
    </div>
    <div class="openptl-grid">
      <div><h2>By tumour site</h2><div class="openptl-chart"><canvas id="site-chart" aria-label="Open and over 62 days by tumour site" role="img"></canvas></div></div>
      <div><h2>Patients over 62 days, last 90 days</h2><div class="openptl-chart"><canvas id="trend-chart" aria-label="Daily count of patients over 62 and over 104 days" role="img"></canvas></div></div>
    </div>
    <div class="openptl-grid">
      <div class="openptl-table-wrap">${table('Backlog by tumour site', counts.byTumourSite, 'tumourSite')}</div>
      <div class="openptl-table-wrap">${table('Backlog by stage', counts.byStage, 'stage')}</div>
    </div>`;
  drawCharts(counts, trend.points);
}

/** Live counts from /live: the tiles (when the backlog is shown) and the screen-reader announcement. */
export function updateTiles(counts) {
  for (const key of ['open', 'over62', 'over104', 'fdsOverdue']) {
    const el = document.querySelector(`[data-tile="${key}"] .openptl-tile__number`);
    if (el && el.textContent !== String(counts[key])) el.textContent = counts[key];
  }
  const stamp = document.getElementById('as-of');
  if (stamp) stamp.textContent = counts.asOf;
  document.getElementById('live-status').textContent = `Backlog updated: ${counts.over62} over 62 days`;
}

function drawCharts(counts, points) {
  while (charts.length) charts.pop().destroy();
  const Chart = window.Chart; // the UMD build, loaded by its own script tag
  if (!Chart) return;
  const sites = Object.entries(counts.byTumourSite).sort((a, b) => b[1].open - a[1].open);
  charts.push(new Chart(document.getElementById('site-chart'), {
    type: 'bar',
    data: { labels: sites.map(([k]) => label(k)), datasets: [
      { label: 'Open', data: sites.map(([, v]) => v.open), backgroundColor: '#005eb8' },
      { label: 'Over 62 days', data: sites.map(([, v]) => v.over62), backgroundColor: '#d5281b' },
    ] },
    options: { maintainAspectRatio: false, animation: false, indexAxis: 'y', scales: { x: { beginAtZero: true } } },
  }));
  charts.push(new Chart(document.getElementById('trend-chart'), {
    type: 'line',
    data: { labels: points.map((p) => p.date.slice(5)), datasets: [
      { label: 'Over 62 days', data: points.map((p) => p.over62), borderColor: '#d5281b', pointRadius: 0 },
      { label: 'Over 104 days', data: points.map((p) => p.over104), borderColor: '#330072', borderDash: [4, 2], pointRadius: 0 },
    ] },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  }));
}
