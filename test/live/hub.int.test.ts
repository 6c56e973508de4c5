// The live hub's care for writers and dead sockets, with stand-in sockets whose buffers we control.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { LiveHub } from '../../src/live/hub.ts';
import { tempStore } from '../support/store.ts';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  terminated = false;
  pings = 0;
  send(message: string) {
    this.sent.push(message);
  }
  ping() {
    this.pings++;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
}

const referral = (on: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
});

// The hub's timers are faked: time moves only when a test moves it, so each step is exact.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('live hub', () => {
  it('coalesces a burst of commits into one push with the latest counts, and pushes nothing when counts do not change', () => {
    const { store, commands } = tempStore('2026-11-24T10:00:00Z');
    const hub = new LiveHub(store, store.clock, { coalesceMs: 20, rolloverCheckMs: 10_000, heartbeatMs: 10_000 });
    hub.start();
    const ws = new FakeSocket();
    hub.attach(ws as unknown as WebSocket);
    expect(ws.sent).toHaveLength(1);
    for (let i = 0; i < 5; i++) commands.append(`P${i}`, 0, referral('2026-11-01'), { actor: 't' });
    vi.advanceTimersByTime(19);
    expect(ws.sent).toHaveLength(1); // still within the window
    vi.advanceTimersByTime(1);
    expect(ws.sent).toHaveLength(2);
    expect(JSON.parse(ws.sent[1]!).counts.open).toBe(5);
    commands.append('P0', 1, { type: 'patient_cancelled', on: '2026-11-02' }, { actor: 't' }); // no count or stage changes
    vi.advanceTimersByTime(100);
    expect(ws.sent).toHaveLength(2);
    hub.stop();
  });

  it('disconnects a client too slow to keep up instead of buffering for it', () => {
    const { store, commands } = tempStore('2026-11-24T10:00:00Z');
    const hub = new LiveHub(store, store.clock, {
      coalesceMs: 5,
      rolloverCheckMs: 10_000,
      heartbeatMs: 10_000,
      maxBufferedBytes: 1000,
    });
    hub.start();
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.attach(slow as unknown as WebSocket);
    hub.attach(fast as unknown as WebSocket);
    slow.bufferedAmount = 5000;
    commands.append('P1', 0, referral('2026-11-01'), { actor: 't' }); // the writer returns at once either way
    expect(slow.terminated).toBe(false);
    vi.advanceTimersByTime(5);
    expect(slow.terminated).toBe(true);
    expect(fast.sent).toHaveLength(2);
    expect(hub.size).toBe(1);
    hub.stop();
  });

  it('closes connections that stop answering pings', () => {
    const { store } = tempStore('2026-11-24T10:00:00Z');
    const hub = new LiveHub(store, store.clock, { heartbeatMs: 20, rolloverCheckMs: 10_000 });
    hub.start();
    const alive = new FakeSocket();
    const dead = new FakeSocket();
    alive.ping = () => {
      alive.pings++;
      alive.emit('pong');
    };
    hub.attach(alive as unknown as WebSocket);
    hub.attach(dead as unknown as WebSocket);
    vi.advanceTimersByTime(20); // the first heartbeat pings both
    expect([dead.terminated, dead.pings, alive.pings]).toEqual([false, 1, 1]);
    vi.advanceTimersByTime(20); // the dead one never answered
    expect(dead.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(alive.pings).toBe(2);
    hub.stop();
  });
});

describe('live hub and scope (issue #25)', () => {
  it("sends a scoped socket its providers' counts and inbox only, the whole trust's to others, each kept up to date", () => {
    const { store, commands } = tempStore('2026-11-24T10:00:00Z');
    const hub = new LiveHub(store, store.clock, { coalesceMs: 20, rolloverCheckMs: 10_000, heartbeatMs: 10_000 });
    hub.start();
    const all = new FakeSocket();
    const raj = new FakeSocket();
    hub.attach(all as unknown as WebSocket);
    hub.attach(raj as unknown as WebSocket, undefined, ['RAJ']);
    commands.append('A1', 0, { ...referral('2026-11-01'), provider: 'RAJ' }, { actor: 't' });
    commands.append('B1', 0, { ...referral('2026-11-02'), provider: 'RQ8' }, { actor: 't' });
    commands.append('B2', 0, { ...referral('2026-11-03'), provider: 'RQ8' }, { actor: 't' });
    vi.advanceTimersByTime(20);
    const last = (ws: FakeSocket) => JSON.parse(ws.sent[ws.sent.length - 1]!);
    expect(last(all).counts.open).toBe(3);
    expect(last(raj).counts.open).toBe(1);
    expect(Object.keys(last(raj).counts.byProvider)).toEqual(['RAJ']);
    hub.stop();
  });
});
