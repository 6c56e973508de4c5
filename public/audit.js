// @ts-check
// The Audit page (admins): the access log, newest first. Who viewed which pathway, who queried the
// PTL (with the filters and how many patients came back), reports made, sign-ins, changes to users.
// By NHS number it answers "who saw this patient" across every list, search and download that
// showed any pathway the patient has had (issue #25); above the log, the hours in which a user read
// more patients than the trust's threshold are flagged.
import { html } from '/vendor/lit-html/lit-html.js';
import { api, currentUser } from './api.js';
import { dateTime, draw, label, updateRows } from './format.js';
import { choices, onSubmit, options } from './forms.js';

const main = document.getElementById('main');
const FILTERS = ['user', 'nhsNumber', 'pathwayId', 'action', 'since'];

/**
 * The detail of an entry in words: the PTL's filters and count, the credential used.
 * @param {Record<string, unknown> | null} detail
 */
function describe(detail) {
  if (!detail) return '';
  return Object.entries(detail)
    .map(
      ([k, v]) =>
        `${label(k)}: ${
          typeof v === 'object' && v !== null
            ? Object.entries(v)
                .map(([a, b]) => `${a}=${b}`)
                .join(', ') || 'none'
            : v
        }`,
    )
    .join('; ');
}

/**
 * The hours flagged: a user who read more distinct patients in an hour than the trust's setting.
 * @param {{ since: string, threshold: number, hours: { actor: string, hour: string, patients: number }[] } | null} answer
 */
function flagged(answer) {
  if (!answer?.hours) return '';
  if (answer.hours.length === 0)
    return html`<p id="audit-volumes">No user read more than ${answer.threshold} patients in an hour since ${answer.since}.</p>`;
  return html`<div class="nhsuk-warning-callout" id="audit-volumes"><h2 class="nhsuk-warning-callout__label">Unusual volumes</h2>
    <p>More than ${answer.threshold} patients read in an hour (the trust's setting) since ${answer.since}:</p>
    <ul>${answer.hours.map(
      (h) =>
        html`<li data-flag="${h.actor}"><a href="#/audit?user=${encodeURIComponent(h.actor.replace(/^user:/, ''))}&since=${h.hour.slice(0, 10)}">${h.actor.replace(/^user:/, '')}</a>: ${h.patients} patients in the hour from ${dateTime(h.hour)}</li>`,
    )}</ul></div>`;
}

/** @param {URLSearchParams} params */
export async function showAudit(params) {
  document.title = 'Audit – OpenPTL';
  if (currentUser()?.role !== 'admin') {
    draw(main, html`<h1>Audit</h1><p>Only admins can read the access log.</p>`);
    return;
  }
  const { actions } = await api('GET', '/api/openapi.json').then((r) => ({
    actions: r.body.paths['/api/audit'].get.parameters.find((/** @type {any} */ p) => p.name === 'action').schema.enum,
  }));
  const query = new URLSearchParams();
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) query.set(key, value);
  }
  query.set('limit', '100');
  /** @param {string} name @param {string} text @param {number} width */
  const field = (name, text, width, type = 'text') =>
    html`<div class="nhsuk-form-group"><label class="nhsuk-label" for="a-${name}">${text}</label><input class="nhsuk-input nhsuk-input--width-${width}" id="a-${name}" name="${name}" type="${type}" value="${params.get(name) ?? ''}"></div>`;
  /** @type {any[]} */
  const rows = [];
  const volumes = await api('GET', '/api/audit/volumes');
  /** @param {string} [before] */
  const load = async (before) => {
    if (before) query.set('before', before);
    const { body } = await api('GET', `/api/audit?${query}`);
    const refused = document.getElementById('audit-refused');
    if (refused) {
      refused.hidden = Boolean(body?.entries);
      refused.textContent = body?.entries ? '' : (body?.message ?? 'The server refused these filters.');
    }
    if (!body?.entries) return;
    const pathways = document.getElementById('audit-pathways');
    if (pathways && body.pathways)
      pathways.textContent = body.pathways.length
        ? `This patient's pathways: ${body.pathways.join(', ')}. Every entry that showed any of them, or the NHS number itself, is listed.`
        : 'No pathway has carried this NHS number: the entries below named the number itself (a search, a file, a message).';
    rows.push(...body.entries);
    updateRows(
      'audit',
      rows.map(
        (e) => html`<tr class="nhsuk-table__row" data-entry="${e.entryId}">
      <td class="nhsuk-table__cell">${dateTime(e.at)}</td><td class="nhsuk-table__cell">${e.actor}</td><td class="nhsuk-table__cell" data-field="action">${label(e.action)}</td>
      <td class="nhsuk-table__cell">${e.pathwayId ? html`<a href="#/pathway/${encodeURIComponent(e.pathwayId)}">${e.pathwayId.slice(0, 12)}</a>` : ''}</td>
      <td class="nhsuk-table__cell">${e.address ?? ''}</td><td class="nhsuk-table__cell">${describe(e.detail)}</td></tr>`,
      ),
    );
    const empty = document.getElementById('audit-empty');
    const more = document.getElementById('audit-more');
    if (empty) empty.hidden = rows.length > 0;
    if (more) {
      more.hidden = !body.nextBefore;
      more.onclick = () => load(body.nextBefore);
    }
  };
  draw(
    main,
    html`
    <h1>Audit</h1>
    <p>Who saw what: each pathway viewed, each search, list and download with the patients it showed, each report, sign-in and change to a user. Give an NHS number to see who saw that patient.</p>
    ${flagged(volumes.body)}
    <form id="audit-filters" class="openptl-filters" @submit=${onSubmit((form) => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
      location.hash = `#/audit?${next}`;
    })}>
      ${field('user', 'User', 10)}${field('nhsNumber', 'NHS number', 10)}${field('pathwayId', 'Pathway', 20)}
      <div class="nhsuk-form-group"><label class="nhsuk-label" for="a-action">What</label><select class="nhsuk-select" id="a-action" name="action"><option value="">Anything</option>${options(
        choices(actions),
        params.get('action'),
      )}</select></div>
      ${field('since', 'Since', 10, 'date')}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Apply filters</button>
    </form>
    <p class="nhsuk-error-message" id="audit-refused" role="alert" hidden></p>
    <p id="audit-pathways"></p>
    <div class="openptl-table-wrap"><table class="nhsuk-table" id="audit"><caption class="nhsuk-table__caption">Access log, newest first</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">When (UK time)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Pathway</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead><tbody></tbody></table></div>
    <p id="audit-empty" hidden>Nothing in the access log matches these filters.</p>
    <button class="nhsuk-button nhsuk-button--secondary" id="audit-more" hidden>Show more</button>`,
  );
  await load();
}
