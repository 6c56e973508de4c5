// @ts-check
// Adding a GP referral: the patient (NHS number, checked by the server, hospital number, name and date of birth),
// the route, the suspected tumour site, the provider (from those present) and the date received.
// When the patient already has an open pathway at that site, the form says so, links to it, and
// adds the referral only when asked to ("Add anyway").
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, vocabulary } from './api.js';
import { today } from './live.js';
import { date, draw, fieldLabel, focusFirst, label, providerLabel, sentence, stageLabel } from './format.js';
import {
  choices,
  dateInput,
  errorSummary,
  fieldValue,
  onSubmit,
  radios,
  readDate,
  select,
  textInput,
} from './forms.js';
import { formField } from './event-form.js';
import { flash } from './nav.js';

const main = document.getElementById('main');
// issue #26: the timed-pathway items, all optional (the server checks they fit the site and route)
const TIMED = ['suspectedSite', 'fitResult', 'fitTestedOn', 'fitNotDoneReason', 'screeningProgramme', 'lowDoseCtOn'];
const FIELDS = [
  'nhsNumber',
  'localPatientId', // issue #28: the hospital number, so the PAS's messages match from day one
  'patientName',
  'dateOfBirth',
  'route',
  'tumourSite',
  'provider',
  'on',
  'referrer',
  ...TIMED,
];
const DATES = new Set(['dateOfBirth', 'on', 'fitTestedOn', 'lowDoseCtOn']);

/**
 * @param {Record<string, string>} values what was typed
 * @param {Record<string, string>} errors refusals by field
 * @param {{ message: string, list: any[] } | null} duplicates open pathways the server found for the patient
 */
export async function showNewReferral(values = {}, errors = {}, duplicates = null) {
  document.title = 'Add a referral – OpenPTL';
  const { routes, tumourSites, providers, suspectedSites, screeningProgrammes, fitThreshold } = await vocabulary();
  /** @type {Record<string, string>} */
  const v = { on: await today(), ...values };
  const words = (/** @type {string} */ name) => fieldLabel(name, 'referral_received');
  const id = (/** @type {string} */ name) => `ref-${name}`;
  const focusId = (/** @type {string} */ name) =>
    DATES.has(name) ? `${id(name)}-day` : name === 'route' ? `${id(name)}-0` : id(name);
  /** @type {[string, string][]} */
  const problems = Object.entries(errors).map(([name, text]) => [focusId(name), text]);
  /** @param {HTMLFormElement} form @param {boolean} checkDuplicates */
  const submit = async (form, checkDuplicates) => {
    /** @type {Record<string, string>} */
    const entered = {};
    /** @type {Record<string, string>} */
    const found = {};
    for (const name of FIELDS) {
      const value = DATES.has(name) ? readDate(form, name) : fieldValue(form, name);
      if (typeof value === 'object') found[name] = sentence(words(name), value.problem);
      else if (value !== '') entered[name] = value;
    }
    for (const name of ['nhsNumber', 'route', 'tumourSite', 'on'])
      if (!entered[name] && !found[name]) found[name] = sentence(words(name), 'must be filled in');
    const fit = entered.fitResult === undefined ? undefined : Number(entered.fitResult);
    if (fit !== undefined && !Number.isFinite(fit))
      found.fitResult = sentence(words('fitResult'), 'must be a number, micrograms of haemoglobin per gram');
    if (Object.keys(found).length) return showNewReferral(entered, found);
    const r = await api('POST', `/api/pathways${checkDuplicates ? '?checkDuplicates=true' : ''}`, {
      type: 'referral_received',
      ...entered,
      ...(fit !== undefined ? { fitResult: fit } : {}),
    });
    if (r.ok) {
      flash(
        `Referral added: ${entered.patientName ?? 'the patient'}, ${label(entered.tumourSite)}, received ${date(entered.on)}.`,
      );
      location.hash = `#/pathway/${encodeURIComponent(r.body.pathwayId)}`;
      return;
    }
    if (r.body?.error === 'possible_duplicate')
      return showNewReferral(entered, {}, { message: sentence('', r.body.message), list: r.body.duplicates });
    const name = formField(r.body?.field);
    return showNewReferral(
      entered,
      FIELDS.includes(name)
        ? { [name]: sentence(words(name), r.body.message) }
        : { nhsNumber: sentence('', r.body?.message ?? `The server refused this (${r.status})`) },
    );
  };
  draw(
    main,
    html`
    <a class="nhsuk-back-link" href="#/ptl">Back to the PTL</a>
    <h1 tabindex="-1">Add a referral</h1>
    ${errorSummary(problems, 'referral-errors')}
    ${
      duplicates
        ? html`<div class="nhsuk-warning-callout" id="duplicate" tabindex="-1" role="alert"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>This patient may already be on the PTL</span></h2>
      <p>${duplicates.message}:</p><ul>${duplicates.list.map((d) => html`<li><a href="#/pathway/${encodeURIComponent(d.pathwayId)}">${label(v.tumourSite)} pathway referred ${date(d.referralOn)} (${stageLabel(d.stage)})</a></li>`)}</ul>
      <p>If this is a new referral all the same, select "Add anyway".</p><button class="nhsuk-button nhsuk-button--secondary" type="button" id="add-anyway" @click=${() => submit(/** @type {HTMLFormElement} */ (document.getElementById('referral-form')), false)}>Add anyway</button></div>`
        : nothing
    }
    <form id="referral-form" novalidate @submit=${onSubmit((form) => submit(form, true))}><div class="openptl-form-grid"><div>
      <div class="openptl-pair">${textInput({ id: id('nhsNumber'), name: 'nhsNumber', label: words('nhsNumber'), hint: '10 digits, such as 943 476 5919', value: v.nhsNumber, error: errors.nhsNumber, width: 10, numeric: true, plain: true })}
${textInput({ id: id('localPatientId'), name: 'localPatientId', label: words('localPatientId'), hint: 'The PAS number, if known', value: v.localPatientId, error: errors.localPatientId, width: 10, plain: true })}</div>
      ${textInput({ id: id('patientName'), name: 'patientName', label: words('patientName'), value: v.patientName, error: errors.patientName, plain: true })}
      ${dateInput({ id: id('dateOfBirth'), name: 'dateOfBirth', label: words('dateOfBirth'), hint: 'For example, 31 3 1958', value: v.dateOfBirth, error: errors.dateOfBirth })}
      ${dateInput({ id: id('on'), name: 'on', label: words('on'), hint: '', value: v.on, error: errors.on })}
      </div><div>
      ${radios({ id: id('route'), name: 'route', label: words('route'), options: choices(routes), value: v.route ?? '', error: errors.route })}
      ${select({ id: id('tumourSite'), name: 'tumourSite', label: words('tumourSite'), options: choices(tumourSites), value: v.tumourSite, error: errors.tumourSite })}
      ${select({ id: id('provider'), name: 'provider', label: words('provider'), options: choices(providers, providerLabel), value: v.provider, error: errors.provider, choose: 'Not recorded' })}
      </div></div>
      <details class="nhsuk-details" id="timed-items" ?open=${[...TIMED, 'referrer'].some((n) => v[n] || errors[n])}><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">More details (optional): the referrer; for timed pathways the suspected site, FIT, screening programme</span></summary>
      <div class="nhsuk-details__text openptl-form-grid"><div>
      ${textInput({ id: id('referrer'), name: 'referrer', label: `${words('referrer')} (optional)`, hint: 'The GP practice or referrer', value: v.referrer, error: errors.referrer })}
      ${select({ id: id('suspectedSite'), name: 'suspectedSite', label: words('suspectedSite'), hint: 'Within the tumour site: prostate for an MRI-first prostate pathway', options: Object.keys(suspectedSites).map((s) => [s, `${label(s)} (${label(suspectedSites[s])})`]), value: v.suspectedSite, error: errors.suspectedSite, choose: 'None' })}
      ${select({ id: id('screeningProgramme'), name: 'screeningProgramme', label: words('screeningProgramme'), hint: 'A screening referral: the programme it comes from', options: choices(screeningProgrammes), value: v.screeningProgramme, error: errors.screeningProgramme, choose: 'None' })}
      ${dateInput({ id: id('lowDoseCtOn'), name: 'lowDoseCtOn', label: words('lowDoseCtOn'), hint: 'Lung screening: the scan that found it', value: v.lowDoseCtOn, error: errors.lowDoseCtOn })}
      </div><div>
      ${textInput({ id: id('fitResult'), name: 'fitResult', label: words('fitResult'), hint: `Lower GI: faecal haemoglobin; ${fitThreshold} or more means an urgent referral. Below ${fitThreshold}, or none, the referral is listed for triage review`, value: v.fitResult, error: errors.fitResult, width: 5, numeric: true })}
      ${dateInput({ id: id('fitTestedOn'), name: 'fitTestedOn', label: words('fitTestedOn'), value: v.fitTestedOn, error: errors.fitTestedOn })}
      ${textInput({ id: id('fitNotDoneReason'), name: 'fitNotDoneReason', label: words('fitNotDoneReason'), hint: 'For example, sample not returned', value: v.fitNotDoneReason, error: errors.fitNotDoneReason })}
      </div></div></details>
      <button class="nhsuk-button" type="submit">Add referral</button>
    </form>`,
  );
  focusFirst(main, '#duplicate, #referral-errors', 'h1');
}
