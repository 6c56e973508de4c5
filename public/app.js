// The OpenPTL dashboard: backlog (live over /live), the PTL work list and the pathway page.
// Plain modules and the NHS design system's classes; every value from the server is escaped.
const main = document.getElementById('main');
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const label = (s) => String(s ?? '').replaceAll('_', ' ');
const LIVE = { ws: null, counts: null };
let me = null;
let eventSchemas = null;

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== '/api/session') { showSignIn(); throw new Error('signed out'); }
  return { status: res.status, ok: res.ok, body: json };
}

// ---- routing -------------------------------------------------------------------------------
async function route() {
  if (!me) {
    const r = await fetch('/api/me', { credentials: 'same-origin' });
    if (r.status !== 200) return showSignIn();
    me = await r.json();
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  connectLive();
  const [path, query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  if (path.startsWith('/pathway/')) return showPathway(decodeURIComponent(path.slice('/pathway/'.length)));
  if (path === '/ptl') return showPtl(params);
  return showBacklog();
}
window.addEventListener('hashchange', () => route().catch(() => {}));
document.getElementById('sign-out').addEventListener('click', async () => {
  await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
  me = null;
  LIVE.ws?.close();
  LIVE.ws = null;
  showSignIn();
});

// ---- sign in -------------------------------------------------------------------------------
function showSignIn(message) {
  document.getElementById('nav').hidden = true;
  document.title = 'Sign in – OpenPTL';
  main.innerHTML = `
    <h1>Sign in</h1>
    <div class="nhsuk-error-summary" id="sign-in-error" role="alert" tabindex="-1" ${message ? '' : 'hidden'}><h2 class="nhsuk-error-summary__title">There is a problem</h2><p id="sign-in-message">${esc(message)}</p></div>
    <form id="sign-in" novalidate>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="name">User name</label><input class="nhsuk-input nhsuk-input--width-20" id="name" name="name" autocomplete="username" required></div>
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="password">Password</label><input class="nhsuk-input nhsuk-input--width-20" id="password" name="password" type="password" autocomplete="current-password" required></div>
      <button class="nhsuk-button" type="submit">Sign in</button>
    </form>`;
  document.getElementById('sign-in').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const r = await api('POST', '/api/session', { name: form.get('name'), password: form.get('password') });
    if (!r.ok) {
      const box = document.getElementById('sign-in-error');
      box.hidden = false;
      document.getElementById('sign-in-message').textContent = r.body?.message ?? 'Sign-in failed';
      box.focus();
      return;
    }
    me = r.body;
    if (!location.hash || location.hash === '#/sign-in') location.hash = '#/';
    route();
  });
  document.getElementById('name').focus();
}

// ---- live counts ---------------------------------------------------------------------------
function connectLive() {
  if (LIVE.ws) return;
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
  LIVE.ws = ws;
  ws.addEventListener('message', (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type !== 'backlog') return;
    LIVE.counts = msg.counts;
    updateTiles(msg.counts);
  });
  ws.addEventListener('close', () => {
    if (LIVE.ws !== ws) return;
    LIVE.ws = null;
    if (me) setTimeout(connectLive, 2000); // reconnect; the server sends the latest counts on connect
  });
}

function updateTiles(counts) {
  for (const key of ['open', 'over62', 'over104', 'fdsOverdue']) {
    const el = document.querySelector(`[data-tile="${key}"] .openptl-tile__number`);
    if (el && el.textContent !== String(counts[key])) el.textContent = counts[key];
  }
  const stamp = document.getElementById('as-of');
  if (stamp) stamp.textContent = counts.asOf;
  document.getElementById('live-status').textContent = `Backlog updated: ${counts.over62} over 62 days`;
}

// ---- backlog -------------------------------------------------------------------------------
const charts = [];
async function showBacklog() {
  document.title = 'Backlog – OpenPTL';
  const [{ body: counts }, { body: trend }] = await Promise.all([api('GET', '/api/backlog'), api('GET', '/api/backlog/trend?days=90')]);
  const c = LIVE.counts ?? counts;
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

function drawCharts(counts, points) {
  while (charts.length) charts.pop().destroy();
  if (!window.Chart) return;
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

// ---- PTL -----------------------------------------------------------------------------------
const TUMOUR_SITES = ['breast', 'lower_gi', 'upper_gi', 'lung', 'skin', 'urological', 'gynaecological', 'head_and_neck', 'haematological', 'brain_cns', 'sarcoma', 'children', 'testicular', 'acute_leukaemia', 'non_specific_symptoms', 'other'];
const STAGES = ['awaiting_triage', 'awaiting_first_appointment', 'first_appointment_missed', 'straight_to_test', 'rapid_diagnostic_centre', 'under_investigation', 'discussed_at_mdt', 'awaiting_decision_to_treat', 'awaiting_treatment'];
const BANDS = { '': 'Any', '0-28': '0 to 28 days', '29-62': '29 to 62 days', '63-104': '63 to 104 days', '105-': '105 days or more' };

function daysBadge(days) {
  const cls = days > 104 ? 'openptl-days--dark' : days > 62 ? 'openptl-days--red' : days >= 50 ? 'openptl-days--amber' : '';
  return `<span class="openptl-days ${cls}" data-days="${days}">${days}</span>`;
}

async function showPtl(params) {
  document.title = 'PTL – OpenPTL';
  const band = params.get('band') ?? (params.get('minDays') === '105' ? '105-' : '');
  const query = new URLSearchParams();
  for (const key of ['tumourSite', 'stage', 'provider', 'breached', 'fdsOverdue', 'nextActionDueBy', 'sort', 'order']) if (params.get(key)) query.set(key, params.get(key));
  if (band) {
    const [min, max] = band.split('-');
    if (min) query.set('minDays', min);
    if (max) query.set('maxDays', max);
  } else if (params.get('minDays')) query.set('minDays', params.get('minDays'));
  query.set('limit', '50');
  const select = (name, text, options, value) => `<div class="nhsuk-form-group"><label class="nhsuk-label" for="f-${name}">${text}</label><select class="nhsuk-select" id="f-${name}" name="${name}">${options.map(([v, t]) => `<option value="${esc(v)}" ${v === (value ?? '') ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select></div>`;
  const sort = params.get('sort') ?? 'daysWaiting';
  const order = params.get('order') ?? (sort === 'daysWaiting' ? 'desc' : 'asc');
  const sortButton = (key, text) => `<button type="button" data-sort="${key}" aria-label="Sort by ${text}">${text}${sort === key ? (order === 'desc' ? ' ▼' : ' ▲') : ''}</button>`;
  main.innerHTML = `
    <h1>Patient tracking list${params.get('fdsOverdue') === 'true' ? ' <span class="nhsuk-caption-m">faster diagnosis overdue</span>' : ''}</h1>
    <form id="filters" class="openptl-filters">
      ${select('tumourSite', 'Tumour site', [['', 'All'], ...TUMOUR_SITES.map((s) => [s, label(s)])], params.get('tumourSite'))}
      ${select('stage', 'Stage', [['', 'All'], ...STAGES.map((s) => [s, label(s)])], params.get('stage'))}
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="f-provider">Provider</label><input class="nhsuk-input nhsuk-input--width-5" id="f-provider" name="provider" value="${esc(params.get('provider'))}"></div>
      ${select('band', 'Days waiting', Object.entries(BANDS), band)}
      ${select('breached', 'Over 62 days', [['', 'Any'], ['true', 'Yes'], ['false', 'No']], params.get('breached'))}
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
      <td class="nhsuk-table__cell"><a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${esc(e.pathwayId.slice(0, 12))}</a></td>
      <td class="nhsuk-table__cell">${esc(e.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3'))}</td>
      <td class="nhsuk-table__cell">${esc(label(e.tumourSite))}</td><td class="nhsuk-table__cell">${esc(label(e.stage))}</td><td class="nhsuk-table__cell">${esc(e.provider)}</td>
      <td class="nhsuk-table__cell">${daysBadge(e.daysWaiting)}</td><td class="nhsuk-table__cell">${esc(e.breachDate)}</td>
      <td class="nhsuk-table__cell">${esc(e.nextAction)}</td><td class="nhsuk-table__cell">${esc(e.nextActionDue)}</td></tr>`).join(''));
    document.getElementById('ptl-empty').hidden = tbody.children.length > 0;
    more.hidden = !body.nextCursor;
    more.onclick = () => load(body.nextCursor);
  };
  await load();
}

// ---- pathway -------------------------------------------------------------------------------
const DATE_FIELDS = new Set(['on', 'appointmentOn', 'offeredFor', 'availableFrom', 'dateOfBirth']);

async function schemas() {
  if (!eventSchemas) {
    const doc = await (await fetch('/api/openapi.json')).json();
    eventSchemas = Object.fromEntries(doc.components.schemas.Event.oneOf.map((s) => [s.properties.type.enum[0], s]));
  }
  return eventSchemas;
}

async function showPathway(id, keepForm) {
  const { status, body: p } = await api('GET', `/api/pathways/${encodeURIComponent(id)}`);
  if (status === 404) { main.innerHTML = '<h1>Pathway not found</h1><p><a href="#/ptl">Back to the PTL</a></p>'; return; }
  document.title = `Pathway ${id} – OpenPTL`;
  const voided = new Set(p.events.filter((e) => e.event.type === 'event_voided').map((e) => e.event.voids));
  const clockRow = (name, text) => {
    const c = p.clocks[name];
    return `<tr class="nhsuk-table__row" data-clock="${name}"><th scope="row">${text}</th><td>${esc(label(c.state))}</td><td>${esc(c.start ?? '–')}</td><td>${esc(c.stop ?? '–')}</td>
      <td class="nhsuk-table__cell--numeric" data-field="days">${c.days ?? '–'}</td><td class="nhsuk-table__cell--numeric">${c.adjustmentDays}</td><td>${c.target}</td><td data-field="breachDate">${esc(c.breachDate ?? '–')}</td><td>${c.breached ? '<strong class="nhsuk-tag nhsuk-tag--red">Breached</strong>' : ''}</td></tr>`;
  };
  main.innerHTML = `
    <a class="nhsuk-back-link" href="#/ptl">Back to the PTL</a>
    <h1>Pathway <span class="nhsuk-caption-m">${esc(p.pathwayId)}</span></h1>
    <dl class="nhsuk-summary-list">
      ${[['NHS number', p.patient.nhsNumber], ['Name', p.patient.name], ['Date of birth', p.patient.dateOfBirth], ['Tumour site', label(p.tumourSite)], ['Route', label(p.route)], ['Provider', p.provider], ['Stage', label(p.stage)], ['Status', p.status], ['Next action', p.nextAction ? `${p.nextAction.action}, due ${p.nextAction.due}` : 'none']]
        .map(([k, v]) => `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${k}</dt><dd class="nhsuk-summary-list__value" data-summary="${esc(k)}">${esc(v ?? '–')}</dd></div>`).join('')}
    </dl>
    <h2>Cancer Waiting Times clocks</h2>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="clocks"><thead class="nhsuk-table__head"><tr><th scope="col">Standard</th><th scope="col">State</th><th scope="col">Start</th><th scope="col">Stop</th><th scope="col" class="nhsuk-table__header--numeric">Days</th><th scope="col" class="nhsuk-table__header--numeric">Adjustment</th><th scope="col">Target</th><th scope="col">Breach date</th><th scope="col"></th></tr></thead>
      <tbody>${clockRow('fds', '28-day Faster Diagnosis')}${clockRow('d31', '31-day')}${clockRow('d62', '62-day')}</tbody></table></div>
    <h2>Record an event</h2>
    ${me.role === 'viewer' ? '<p>Viewers cannot record events.</p>' : `<div class="openptl-events" id="allowed">${p.allowedEvents.map((t) => `<button type="button" class="nhsuk-button nhsuk-button--secondary" data-event="${esc(t)}">${esc(label(t))}</button>`).join('')}</div>`}
    <div id="event-form"></div>
    <h2>Timeline</h2>
    <ol class="nhsuk-list nhsuk-list--number openptl-timeline">${p.events.map((e) => `<li class="${voided.has(e.eventId) ? 'openptl-voided' : ''}"><strong>${esc(e.event.on)}</strong> ${esc(label(e.event.type))} ${esc(describe(e.event))} <span class="nhsuk-u-secondary-text-color">(id ${esc(e.eventId)}, recorded ${esc(e.recordedAt.slice(0, 16).replace('T', ' '))} by ${esc(e.actor)})</span></li>`).join('')}</ol>`;
  for (const b of main.querySelectorAll('[data-event]')) b.addEventListener('click', () => openForm(p, b.dataset.event));
  if (keepForm) openForm(p, keepForm.type, keepForm.values, keepForm.error);
}

function describe(event) {
  const { type: _t, on: _o, id: _i, nhsNumber: _n, patientName: _p, dateOfBirth: _d, ...rest } = event;
  return Object.entries(rest).map(([k, v]) => `${label(k)}: ${label(v)}`).join(', ');
}

async function openForm(p, type, values = {}, error) {
  const schema = (await schemas())[type];
  const fields = Object.entries(schema.properties).filter(([k]) => k !== 'type' && k !== 'id');
  const required = new Set(schema.required ?? []);
  const today = LIVE.counts?.asOf ?? new Date().toISOString().slice(0, 10);
  const input = ([name, s]) => {
    const id = `ev-${name}`;
    const err = error?.field === name || error?.field === `event.${name}` ? error.message : '';
    const value = values[name] ?? (name === 'on' ? today : '');
    const control = s.enum
      ? `<select class="nhsuk-select${err ? ' nhsuk-select--error' : ''}" id="${id}" name="${name}">${required.has(name) ? '' : '<option value=""></option>'}${s.enum.map((o) => `<option value="${esc(o)}" ${o === value ? 'selected' : ''}>${esc(label(o))}</option>`).join('')}</select>`
      : `<input class="nhsuk-input${err ? ' nhsuk-input--error' : ''} nhsuk-input--width-20" id="${id}" name="${name}" type="${DATE_FIELDS.has(name) || s.format === 'date' ? 'date' : 'text'}" value="${esc(value)}" ${required.has(name) ? 'required' : ''}>`;
    return `<div class="nhsuk-form-group${err ? ' nhsuk-form-group--error' : ''}"><label class="nhsuk-label" for="${id}">${esc(label(name))}${required.has(name) ? '' : ' (optional)'}</label>${err ? `<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${esc(err)}</span>` : ''}${control}</div>`;
  };
  const general = error && !fields.some(([n]) => error.field === n || error.field === `event.${n}`) ? error.message : '';
  const box = document.getElementById('event-form');
  box.innerHTML = `<form id="record" class="nhsuk-card"><div class="nhsuk-card__content"><h3 class="nhsuk-card__heading">${esc(label(type))}</h3>
    ${general ? `<div class="nhsuk-error-summary" role="alert" tabindex="-1" id="form-error"><h2 class="nhsuk-error-summary__title">There is a problem</h2><p>${esc(general)}</p></div>` : ''}
    ${fields.map(input).join('')}
    <button class="nhsuk-button" type="submit">Record ${esc(label(type))}</button> <button class="nhsuk-button nhsuk-button--secondary" type="button" id="cancel">Cancel</button></div></form>`;
  box.querySelector('#cancel').addEventListener('click', () => { box.innerHTML = ''; });
  (box.querySelector('.nhsuk-error-summary, .nhsuk-form-group--error input, .nhsuk-form-group--error select') ?? box.querySelector('input, select'))?.focus();
  box.querySelector('#record').addEventListener('submit', async (e) => {
    e.preventDefault();
    const entered = Object.fromEntries([...new FormData(e.target)].filter(([, v]) => v !== ''));
    const r = await api('POST', `/api/pathways/${encodeURIComponent(p.pathwayId)}/events`, { expectedVersion: p.version, event: { type, ...entered } });
    if (r.ok) return showPathway(p.pathwayId);
    // Keep what was typed; show the server's reason next to the field it names.
    const field = r.body?.field?.replace(/^body\.event\./, '');
    const message = r.status === 409 && r.body?.error === 'stale_version'
      ? `Someone else updated this pathway (now version ${r.body.currentVersion}). Check the timeline, then record again: your entries are kept.`
      : r.body?.message ?? `The server refused this (${r.status})`;
    if (r.status === 409 && r.body?.error === 'stale_version') return showPathway(p.pathwayId, { type, values: entered, error: { field: '', message } });
    openForm(p, type, entered, { field, message });
  });
}

route().catch(() => {});
