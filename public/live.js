// @ts-check
// The /live websocket: the server sends the backlog counts on connect and after every change.
import { currentUser, serverToday } from './api.js';

/** @type {WebSocket | null} */
let ws = null;
/** @type {any} the backlog counts, as GET /api/backlog answers */
let counts = null;
/** @type {((counts: any) => void)[]} */
const listeners = [];
/** @type {((waiting: number) => void)[]} */
const inboxListeners = [];

/** The latest counts pushed, or null before the first. */
export const latestCounts = () => counts;

/**
 * Today in England: from the latest counts pushed (they move at midnight), else as the server said.
 * @returns {Promise<string>}
 */
export async function today() {
  return counts?.asOf ?? serverToday();
}

/**
 * Calls fn(n) with the proposals waiting in the inbox, pushed with the backlog (issue #17).
 * @param {(waiting: number) => void} fn
 */
export function onInbox(fn) {
  inboxListeners.push(fn);
}

/**
 * Calls fn(counts) on every backlog message.
 * @param {(counts: any) => void} fn
 */
export function onBacklog(fn) {
  listeners.push(fn);
}

export function connectLive() {
  if (ws) return;
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
  ws = socket;
  socket.addEventListener('message', (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type !== 'backlog') return;
    counts = msg.counts;
    for (const fn of listeners) fn(counts);
    if (typeof msg.inbox === 'number') for (const fn of inboxListeners) fn(msg.inbox);
  });
  socket.addEventListener('close', (e) => {
    if (ws !== socket) return;
    // 4401: the session ended (signed out elsewhere, the user disabled): start again at sign-in.
    if (e.code === 4401) {
      ws = null;
      location.reload();
      return;
    }
    ws = null;
    if (currentUser()) setTimeout(connectLive, 2000); // reconnect; the server sends the latest counts on connect
  });
}

export function disconnectLive() {
  const socket = ws;
  ws = null;
  socket?.close();
}
