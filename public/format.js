// @ts-check
// Shared display helpers, and draw(): every view reaches the page through lit-html's templates,
// which put each value in as text or as an attribute's value, never as markup.
// Words for codes come from the server (GET /api/vocabulary: labels), set once by main.js.
import { html, nothing, render } from '/vendor/lit-html/lit-html.js';

/** @typedef {Record<'events' | 'fields' | 'on' | 'stages' | 'values' | 'clocks', Record<string, string>>} Labels */

/** @type {Labels} */
let labels = { events: {}, fields: {}, on: {}, stages: {}, values: {}, clocks: {} };

/** @param {Labels | undefined} l */
export function setLabels(l) {
  if (l) labels = l;
}

/**
 * Draws a view, a form or a message into `where`, in place of what was there: new elements each
 * time, as a page load gives, so nothing typed, chosen or focused in the last one carries over by
 * accident, and an alert is announced again. (lit-html's render() into the same element would
 * update the last draw in place instead, as updateRows does.)
 * @param {HTMLElement | null} where null when the view has gone while the server answered: nothing to draw
 * @param {unknown} content a template, or nothing
 */
export function draw(where, content) {
  if (!where) return;
  const fresh = document.createDocumentFragment();
  render(content, fresh);
  where.replaceChildren(fresh);
}

/**
 * Draws a table's rows in place: those already there stay as they are (what is ticked stays
 * ticked), rows added go under them, and only what changed in a row changes on the page.
 * @param {string} table the table's id
 * @param {unknown[]} rows templates
 */
export function updateRows(table, rows) {
  const tbody = document.querySelector(`#${table} tbody`);
  if (tbody instanceof HTMLElement) render(rows, tbody);
}

/**
 * Moves focus to what the first of `selectors` that finds anything in `root` finds.
 * @param {ParentNode | null} root
 * @param {...string} selectors
 */
export function focusFirst(root, ...selectors) {
  for (const selector of selectors) {
    const found = root?.querySelector(selector);
    if (found instanceof HTMLElement) return found.focus();
  }
}

/**
 * A code as words: a value ('lower_gi' → 'Lower GI'), else a stage, else the code with spaces.
 * @param {unknown} s
 */
export const label = (s) => {
  const code = String(s ?? '');
  return labels.values[code] ?? labels.stages[code] ?? code.replaceAll('_', ' ');
};
/** @param {string} s */
export const stageLabel = (s) => labels.stages[s] ?? label(s);
/** @param {string} t */
export const eventLabel = (t) => labels.events[t] ?? label(t);
/**
 * A field's words; the date `on` reads differently for each event.
 * @param {string} name
 * @param {string} [type] the event's type
 */
export const fieldLabel = (name, type) => (name === 'on' ? labels.on[type ?? ''] : labels.fields[name]) ?? label(name);
/** @param {string} c */
export const clockLabel = (c) => labels.clocks[c] ?? c;

// ---- providers and sites by name (issue #28) ----
/** @type {{ providers: Record<string, string>, sites: Record<string, string> }} */
let names = { providers: {}, sites: {} };

/**
 * The names of providers and of the trust's sites by ODS code (GET /api/vocabulary), set once by main.js.
 * @param {Record<string, string> | undefined} providers
 * @param {Record<string, string> | undefined} sites
 */
export function setNames(providers, sites) {
  names = { providers: providers ?? {}, sites: sites ?? {} };
}

/**
 * A provider by name ('RAJ' → 'Mid and South Essex NHS Foundation Trust'); a code with no name as it is.
 * @param {string | null | undefined} code
 */
export const providerLabel = (code) => (code ? (names.providers[code] ?? code) : '');

/**
 * A site by name ('RAJ01' → 'Southend University Hospital'); a code with no name as it is.
 * @param {string | null | undefined} code
 */
export const siteLabel = (code) => (code ? (names.sites[code] ?? code) : '');

/** The trust's sites as [code, name] choices, by name. @returns {[string, string][]} */
export const siteChoices = () =>
  /** @type {[string, string][]} */ (Object.entries(names.sites)).sort((a, b) => a[1].localeCompare(b[1]));

/** Providers with a name, as [code, name] choices, by name. @returns {[string, string][]} */
export const providerChoices = () =>
  /** @type {[string, string][]} */ (Object.entries(names.providers)).sort((a, b) => a[1].localeCompare(b[1]));

/**
 * A national code list's label as a person reads it: the list's "(provisional)" is for the data
 * manager (the Returns page), not for a tracker choosing an option.
 * @param {string} text
 */
export const codeListLabel = (text) => text.replace(/\s*\(provisional\)$/i, '');

/**
 * '9990000018' → '999 000 0018'.
 * @param {string | null | undefined} n
 */
export const nhsNumber = (n) => String(n ?? '').replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An ISO date as a tracker reads it: '2026-11-25' → '25 Nov 2026' ('' for none).
 * @param {unknown} iso
 */
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : '';
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An ISO timestamp in UK time: '24 Nov 2026, 10:00'.
 * @param {string | null | undefined} iso
 */
export const dateTime = (iso) => (iso ? london.format(new Date(iso)).replace(' at ', ', ') : '');

/**
 * Days waiting, amber from day 50, red past 62, dark past 104; `fds` marks it as faster-diagnosis days.
 * @param {number | null | undefined} days
 */
export function daysBadge(days, fds = false) {
  if (days === null || days === undefined) return nothing;
  const cls =
    days > 104 ? 'openptl-days--dark' : days > 62 ? 'openptl-days--red' : days >= 50 ? 'openptl-days--amber' : '';
  return html`<span class="openptl-days ${cls}" data-days=${fds ? nothing : days} data-fds-days=${fds ? days : nothing}>${days}</span>`;
}

/**
 * What is next, in words: "first appointment on 30 Nov 2026", "triage, due by 27 Nov 2026", "follow up on 26 Nov 2026".
 * @param {string | undefined} action
 * @param {string | undefined} due
 * @param {string | undefined} kind
 */
export function nextActionText(action, due, kind) {
  if (!action) return 'None: the pathway is closed';
  if (!due) return action;
  return kind === 'milestone' ? `${action}, due by ${date(due)}` : `${action} on ${date(due)}`;
}

/**
 * A booking in words: "30 Nov 2026, first appointment", "2 Dec 2026, CT chest".
 * @param {{ kind: string, test?: string, on: string } | null | undefined} b
 */
export function bookingText(b) {
  if (!b) return '';
  const what = b.kind === 'test' ? b.test : b.kind === 'first_appointment' ? 'first appointment' : 'appointment';
  return `${date(b.on)}, ${what}`;
}

/**
 * A refusal's reason without the field name the API puts first ("on: must be ..." → "must be ...").
 * @param {unknown} message
 */
export const reasonOf = (message) => String(message ?? '').replace(/^[\w.]+: /, '');

/**
 * A refusal as a sentence naming the field: "Test must be filled in", "The missed appointment must be ...".
 * @param {string} fieldWords
 * @param {unknown} message
 */
export function sentence(fieldWords, message) {
  const reason = reasonOf(message);
  if (fieldWords && /^(must|is|are|cannot|names)\b/.test(reason)) return `${fieldWords} ${reason}`;
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

/**
 * An ISO date moved by whole days (date arithmetic in UTC, so no clock change enters).
 * @param {string} iso
 * @param {number} n
 */
export const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// ---- timed pathways (issue #26) ----

const MILESTONE_TAGS = /** @type {Record<string, [string, string]>} */ ({
  met: ['green', 'Met'],
  met_late: ['yellow', 'Met late'],
  due: ['green', 'Due'],
  at_risk: ['orange', 'At risk'],
  late: ['red', 'Late'],
});

/**
 * A milestone's status as a red, amber or green tag: late, at risk (due within two working days,
 * nothing booked), due; met, or met late.
 * @param {string} status
 */
export function milestoneTag(status) {
  const [colour, words] = MILESTONE_TAGS[status] ?? ['grey', status];
  return html`<strong class="nhsuk-tag nhsuk-tag--${colour}" data-milestone-status="${status}">${words}</strong>`;
}

/**
 * A share as a percentage, or a dash: 0.756 → '75.6%'.
 * @param {number | null | undefined} share
 */
export const percent = (share) => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)}%`);
