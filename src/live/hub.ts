// Live backlog counts over websockets. Recomputed after commits (coalesced), when another process
// has written events, and when the date rolls over in England; pushed only when the numbers
// changed. A slow client never holds up a writer: sends are fire-and-forget, and a client whose
// buffer backs up is disconnected. Each socket belongs to the session or token it was opened
// with: when that ends (signed out, revoked, expired, the user disabled) the socket is closed. A
// user scoped to some providers is sent their providers' counts (issue #25): one message is made
// per scope in use, and a change of scope takes effect at the next check of the credential.
import type { WebSocket } from 'ws';
import { type WallClock, today } from '../wall-clock.ts';
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { BacklogCounts } from '../cwt/backlog.ts';
import type { Store } from '../store/store.ts';
import type { Credential } from '../store/users.ts';
import type { Scope } from '../auth/roles.ts';

/** The close code a socket gets when its session or token has ended: the dashboard signs in again. */
export const ACCESS_ENDED_CLOSE_CODE = 4401;

export interface HubOptions {
  /** Commits within this window produce one push, with the latest numbers. */
  coalesceMs?: number;
  /** How often to look at the clock for midnight. */
  rolloverCheckMs?: number;
  heartbeatMs?: number;
  /** A client with more than this waiting in its send buffer is too slow and is disconnected. */
  maxBufferedBytes?: number;
  /** How often each socket's credential is checked again (a change made by another process, an expiry). */
  accessCheckMs?: number;
}

/** The store's parts the hub uses: the counts, who may listen, the inbox's size, and word of each commit. */
export type HubModels = Pick<Store, 'backlog' | 'users' | 'inbox' | 'onCommit'>;

export class LiveHub {
  private readonly clients = new Set<WebSocket>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly credentials = new Map<WebSocket, Credential>();
  /** Each socket's scope, as a key: '' for the whole trust, else the providers joined. */
  private readonly scopes = new Map<WebSocket, string>();
  private unsubscribeAccess: (() => void) | null = null;
  /** The latest message for each scope in use. */
  private readonly messages = new Map<string, string>();
  private day: IsoDate;
  private pending: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private readonly opts: Required<HubOptions>;
  private readonly backlog: HubModels['backlog'];
  private readonly users: HubModels['users'];
  private readonly inbox: HubModels['inbox'];
  private readonly onCommit: HubModels['onCommit'];

  constructor(
    { backlog, users, inbox, onCommit }: HubModels,
    private readonly clock: WallClock,
    options: HubOptions = {},
  ) {
    this.backlog = backlog;
    this.users = users;
    this.inbox = inbox;
    this.onCommit = onCommit;
    this.opts = {
      coalesceMs: 25,
      rolloverCheckMs: 1000,
      heartbeatMs: 30_000,
      maxBufferedBytes: 1 << 20,
      accessCheckMs: 500,
      ...options,
    };
    this.day = today(clock);
  }

  start(): void {
    this.messages.set('', this.render(''));
    this.unsubscribe = this.onCommit(() => this.schedule());
    // Revocations made in this process close sockets at once; those made by another (the command
    // line) and expiries are found by the periodic check.
    this.unsubscribeAccess = this.users.onAccessEnded(() => this.checkAccess());
    this.timers.push(setInterval(() => this.checkRollover(), this.opts.rolloverCheckMs));
    this.timers.push(setInterval(() => this.heartbeat(), this.opts.heartbeatMs));
    this.timers.push(setInterval(() => this.checkAccess(), this.opts.accessCheckMs));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribeAccess?.();
    for (const t of this.timers) clearInterval(t);
    if (this.pending) clearTimeout(this.pending);
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }

  /** A new socket, with the credential it was opened with (checked again while it is open) and its user's scope. */
  attach(ws: WebSocket, credential?: Credential, scope: Scope = null): void {
    this.clients.add(ws);
    this.alive.add(ws);
    if (credential) this.credentials.set(ws, credential);
    this.scopes.set(ws, keyOf(scope));
    ws.on('pong', () => this.alive.add(ws));
    ws.on('close', () => this.forget(ws));
    ws.on('error', () => this.forget(ws));
    this.send(ws, this.messageFor(keyOf(scope)));
  }

  private forget(ws: WebSocket): void {
    this.clients.delete(ws);
    this.credentials.delete(ws);
    this.scopes.delete(ws);
  }

  /** The latest message for a scope, made when a socket of that scope first asks. */
  private messageFor(key: string): string {
    let message = this.messages.get(key);
    if (message === undefined) this.messages.set(key, (message = this.render(key)));
    return message;
  }

  /**
   * Closes the sockets whose session or token no longer stands (one look-up per credential), and
   * sends the counts of their new scope to those whose user's providers changed.
   */
  checkAccess(): void {
    const standing = new Map<string, string | null>();
    for (const [ws, credential] of this.credentials) {
      const key = `${credential.kind}:${credential.hash}`;
      let scope = standing.get(key);
      if (scope === undefined) {
        const caller = this.users.byCredential(credential);
        standing.set(key, (scope = caller ? keyOf(caller.user.providers) : null));
      }
      if (scope !== null) {
        if (scope !== this.scopes.get(ws)) {
          this.scopes.set(ws, scope);
          this.send(ws, this.messageFor(scope));
        }
        continue;
      }
      this.forget(ws);
      ws.close(ACCESS_ENDED_CLOSE_CODE, 'signed out');
      setTimeout(() => ws.terminate(), 250).unref(); // a client that does not answer the close is cut off
    }
  }

  /** Midnight moves patients across thresholds with no event: recount when the date changes. */
  checkRollover(): void {
    // Another process (a second server on this database, an import) may have written events.
    if (this.backlog.changedElsewhere()) this.schedule();
    const now = today(this.clock);
    if (now === this.day) return;
    this.day = now;
    this.backlog.seal(now); // yesterday's counts, kept as they stood at its end
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.recompute();
    }, this.opts.coalesceMs);
  }

  private recompute(): void {
    const inUse = new Set(['', ...this.scopes.values()]);
    for (const key of this.messages.keys()) if (!inUse.has(key)) this.messages.delete(key);
    const changed = new Set<string>();
    for (const key of inUse) {
      const message = this.render(key);
      if (message === this.messages.get(key)) continue;
      this.messages.set(key, message);
      changed.add(key);
    }
    if (changed.size === 0) return;
    for (const ws of this.clients) {
      const key = this.scopes.get(ws) ?? '';
      if (changed.has(key)) this.send(ws, this.messages.get(key)!);
    }
  }

  /** The message for a scope: its counts, and the proposals waiting in its inbox. */
  private render(key: string): string {
    const scope = key === '' ? null : key.split(',');
    const counts: BacklogCounts = scope ? this.backlog.currentFor(this.day, scope) : this.backlog.current(this.day);
    // `inbox`: proposals waiting for a tracker (issue #17), pushed with the counts when it changes.
    return JSON.stringify({ type: 'backlog', asOf: counts.asOf, counts, inbox: this.inbox.openCount(scope) });
  }

  private send(ws: WebSocket, message: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
      ws.terminate(); // too slow to keep up; it can reconnect and get the latest counts
      this.forget(ws);
      return;
    }
    ws.send(message);
  }

  private heartbeat(): void {
    for (const ws of this.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        this.forget(ws);
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

const keyOf = (scope: Scope): string => (scope === null ? '' : scope.join(','));
