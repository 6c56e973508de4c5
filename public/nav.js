// @ts-check
// Where "Back" goes: the PTL as it was last shown (its filters are in its address), kept for the
// browser tab's session, so a pathway opened from a filtered list leads back to that list.
const KEY = 'openptl.lastList';

/** @param {string} hash */
export function rememberList(hash) {
  sessionStorage.setItem(KEY, hash);
}

export function backToList() {
  return sessionStorage.getItem(KEY) ?? '#/ptl';
}

/** @type {string | null} */
let flashed = null;

/**
 * A confirmation for the next page shown (after a save that moves to another page).
 * @param {string} text
 */
export function flash(text) {
  flashed = text;
}

export function takeFlash() {
  const text = flashed;
  flashed = null;
  return text;
}
