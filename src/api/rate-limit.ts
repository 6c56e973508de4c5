// Failed sign-ins are rate limited so passwords cannot be guessed at speed, in bounded memory,
// without one person's mistakes locking out another:
// - an account from one address: 5 failures in 15 minutes locks that pair only (a colleague on the
//   same network, or the same person on another device, can still sign in);
// - an account from everywhere: 20 failures lock the account (guessing from many addresses);
// - an address: 100 failures lock the address (trying many names from one place; behind a reverse
//   proxy give --trust-proxy, or every user shares the proxy's address).
// The account's and the address's locks are for others (issue #25): a user signing in from their
// usual address (one they signed in from in the last 30 days) is held by their own pair's limit
// only, so nobody else's failures, there or anywhere, lock them out of where they work.
// Each kind of key is kept in its own map of at most MAX_TRACKED entries, the least recently
// failed dropped first, so a flood of made-up names cannot grow the server's memory.
import type { WallClock } from '../wall-clock.ts';

export const SIGN_IN_LIMITS = {
  windowMs: 15 * 60_000,
  perAccountAndAddress: 5,
  perAccount: 20,
  perAddress: 100,
} as const;
export const MAX_TRACKED = 10_000;
/** An address a user signed in from within this long is their usual one. */
export const USUAL_ADDRESS_MS = 30 * 24 * 60 * 60_000;

/** Recent failure times per key, least recently failed first, at most `max` keys. */
class RecentFailures {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.times.size;
  }

  /** Seconds until the key may try again, or 0. */
  wait(key: string, now: number): number {
    const recent = (this.times.get(key) ?? []).filter((t) => now - t < SIGN_IN_LIMITS.windowMs);
    if (recent.length === 0) this.times.delete(key);
    if (recent.length < this.limit) return 0;
    return Math.ceil((recent[recent.length - this.limit]! + SIGN_IN_LIMITS.windowMs - now) / 1000);
  }

  add(key: string, now: number): void {
    const recent = (this.times.get(key) ?? []).filter((t) => now - t < SIGN_IN_LIMITS.windowMs);
    recent.push(now);
    this.times.delete(key); // re-inserted last: the most recently failed
    this.times.set(key, recent.slice(-this.limit));
    if (this.times.size > this.max) {
      // The least recently failed tenth goes at once: one pass, not one scan past the Map's holes per entry.
      let drop = Math.ceil(this.max / 10);
      for (const old of this.times.keys()) {
        this.times.delete(old);
        if (--drop === 0) break;
      }
    }
  }

  forget(key: string): void {
    this.times.delete(key);
  }
}

export class SignInLimiter {
  private readonly pairs = new RecentFailures(SIGN_IN_LIMITS.perAccountAndAddress, MAX_TRACKED);
  private readonly accounts = new RecentFailures(SIGN_IN_LIMITS.perAccount, MAX_TRACKED);
  private readonly addresses = new RecentFailures(SIGN_IN_LIMITS.perAddress, MAX_TRACKED);
  /** Account and address of each recent sign-in, with when, least recent first (at most MAX_TRACKED). */
  private readonly usual = new Map<string, number>();

  constructor(private readonly clock: WallClock) {}

  /** Seconds to wait before another attempt for this account from this address, or 0. */
  retryAfter(address: string, account: string): number {
    const now = this.clock.now().getTime();
    const name = account.toLowerCase(); // names are the same whatever their case
    const pair = this.pairs.wait(`${name}\n${address}`, now);
    const since = this.usual.get(`${name}\n${address}`);
    if (since !== undefined && now - since < USUAL_ADDRESS_MS) return pair; // their own mistakes only
    return Math.max(pair, this.accounts.wait(name, now), this.addresses.wait(address, now));
  }

  failed(address: string, account: string): void {
    const now = this.clock.now().getTime();
    const name = account.toLowerCase();
    this.pairs.add(`${name}\n${address}`, now);
    this.accounts.add(name, now);
    this.addresses.add(address, now);
  }

  /** The right password from this address: its earlier mistakes there are forgotten. */
  succeeded(address: string, account: string): void {
    const pair = `${account.toLowerCase()}\n${address}`;
    this.pairs.forget(pair);
    this.usual.delete(pair); // re-inserted last: the most recent
    this.usual.set(pair, this.clock.now().getTime());
    if (this.usual.size > MAX_TRACKED) this.usual.delete(this.usual.keys().next().value!);
  }

  /** How many keys are held (bounded by 4 x MAX_TRACKED). */
  get tracked(): number {
    return this.pairs.size + this.accounts.size + this.addresses.size + this.usual.size;
  }
}
