// Shared display helpers. Every value from the server goes through esc() before it reaches innerHTML.
export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A code as words: 'lower_gi' → 'lower gi'. */
export const label = (s) => String(s ?? '').replaceAll('_', ' ');

/** '9990000018' → '999 000 0018'. */
export const nhsNumber = (n) => String(n ?? '').replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3');

/** An ISO timestamp to the minute: '2026-11-24T10:00:00.000Z' → '2026-11-24 10:00'. */
export const dateTime = (iso) => String(iso ?? '').slice(0, 16).replace('T', ' ');

/** Days waiting, amber from day 50, red past 62, dark past 104. */
export function daysBadge(days) {
  const cls = days > 104 ? 'openptl-days--dark' : days > 62 ? 'openptl-days--red' : days >= 50 ? 'openptl-days--amber' : '';
  return `<span class="openptl-days ${cls}" data-days="${days}">${days}</span>`;
}
