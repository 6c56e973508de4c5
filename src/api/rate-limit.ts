// Failed sign-ins are rate limited, per address and per name, so passwords cannot be guessed at speed.
import type { WallClock } from '../wall-clock.ts';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 5;

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: WallClock) {}

  /** Seconds to wait before another attempt, or 0. */
  retryAfter(ip: string, name: string): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const key of [`ip:${ip}`, `name:${name}`]) {
      const recent = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
      this.failures.set(key, recent);
      if (recent.length >= MAX_FAILURES) wait = Math.max(wait, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
    }
    return wait;
  }

  failed(ip: string, name: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`ip:${ip}`, `name:${name}`]) this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeeded(_ip: string, name: string): void {
    this.failures.delete(`name:${name}`);
  }
}
