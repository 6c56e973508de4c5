// Live backlog counts over websockets. Recomputed after commits (coalesced) and when the date
// rolls over in England; pushed only when the numbers changed. A slow client never holds up a
// writer: sends are fire-and-forget, and a client whose buffer backs up is disconnected.
import type { WebSocket } from 'ws';
import { type WallClock, today } from '../wall-clock.ts';
import type { BacklogCounts } from '../store/backlog.ts';
import type { Store } from '../store/store.ts';

export interface HubOptions {
  /** Commits within this window produce one push, with the latest numbers. */
  coalesceMs?: number;
  /** How often to look at the clock for midnight. */
  rolloverCheckMs?: number;
  heartbeatMs?: number;
  /** A client with more than this waiting in its send buffer is too slow and is disconnected. */
  maxBufferedBytes?: number;
}

export class LiveHub {
  private readonly clients = new Set<WebSocket>();
  private readonly alive = new WeakSet<WebSocket>();
  private message = '';
  private day: string;
  private pending: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private readonly opts: Required<HubOptions>;

  constructor(private readonly store: Store, private readonly clock: WallClock, options: HubOptions = {}) {
    this.opts = { coalesceMs: 25, rolloverCheckMs: 1000, heartbeatMs: 30_000, maxBufferedBytes: 1 << 20, ...options };
    this.day = today(clock);
  }

  start(): void {
    this.message = this.render(this.store.backlog.current(this.day));
    this.unsubscribe = this.store.onCommit(() => this.schedule());
    this.timers.push(setInterval(() => this.checkRollover(), this.opts.rolloverCheckMs));
    this.timers.push(setInterval(() => this.heartbeat(), this.opts.heartbeatMs));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    if (this.pending) clearTimeout(this.pending);
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }

  attach(ws: WebSocket): void {
    this.clients.add(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.clients.delete(ws));
    this.send(ws, this.message);
  }

  /** Midnight moves patients across thresholds with no event: recount when the date changes. */
  checkRollover(): void {
    const now = today(this.clock);
    if (now === this.day) return;
    this.day = now;
    this.store.backlog.seal(now); // yesterday's counts, kept as they stood at its end
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
    const message = this.render(this.store.backlog.current(this.day));
    if (message === this.message) return;
    this.message = message;
    for (const ws of this.clients) this.send(ws, message);
  }

  private render(counts: BacklogCounts): string {
    // `inbox`: proposals waiting for a tracker (issue #17), pushed with the counts when it changes.
    return JSON.stringify({ type: 'backlog', asOf: counts.asOf, counts, inbox: this.store.inbox.openCount() });
  }

  private send(ws: WebSocket, message: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
      ws.terminate(); // too slow to keep up; it can reconnect and get the latest counts
      this.clients.delete(ws);
      return;
    }
    ws.send(message);
  }

  private heartbeat(): void {
    for (const ws of this.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        this.clients.delete(ws);
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
