// The sign-in limiter on its own: the three limits, and bounded memory under a flood of made-up names.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/wall-clock.ts';
import { MAX_TRACKED, SIGN_IN_LIMITS, SignInLimiter } from '../../src/api/rate-limit.ts';

describe('sign-in limiter', () => {
  it('locks an account from one address after 5 failures, that account everywhere after 20, an address after 100', () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const limiter = new SignInLimiter(clock);
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndAddress; i++) limiter.failed('10.0.0.1', 'bob');
    expect(limiter.retryAfter('10.0.0.1', 'bob')).toBe(900);
    expect(limiter.retryAfter('10.0.0.1', 'BOB')).toBe(900); // the same name whatever its case
    expect(limiter.retryAfter('10.0.0.2', 'bob')).toBe(0);
    expect(limiter.retryAfter('10.0.0.1', 'alice')).toBe(0);
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) limiter.failed(`10.1.0.${i}`, 'carol');
    expect(limiter.retryAfter('10.9.9.9', 'carol')).toBeGreaterThan(0);
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) limiter.failed('10.2.0.1', `name${i}`);
    expect(limiter.retryAfter('10.2.0.1', 'dave')).toBeGreaterThan(0);
    clock.advance(SIGN_IN_LIMITS.windowMs);
    expect([
      limiter.retryAfter('10.0.0.1', 'bob'),
      limiter.retryAfter('10.9.9.9', 'carol'),
      limiter.retryAfter('10.2.0.1', 'dave'),
    ]).toEqual([0, 0, 0]);
  });

  it("a success forgets that address's failures for that account only", () => {
    const limiter = new SignInLimiter(fixedClock('2026-11-24T10:00:00Z'));
    for (let i = 0; i < 4; i++) limiter.failed('10.0.0.1', 'bob');
    limiter.succeeded('10.0.0.1', 'bob');
    limiter.failed('10.0.0.1', 'bob');
    expect(limiter.retryAfter('10.0.0.1', 'bob')).toBe(0);
  });

  it('holds a bounded number of entries however many names and addresses it sees (300,000 attempts)', () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const limiter = new SignInLimiter(clock);
    for (let i = 0; i < 300_000; i++) {
      limiter.retryAfter(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `made-up-name-${i}`);
      limiter.failed(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `made-up-name-${i}`);
      if (i % 1000 === 0) clock.advance(1);
    }
    // The entries held are bounded (the unbounded version held one for every name: 300,000). The
    // heap is not asserted: without --expose-gc it counts garbage, and varied by machine.
    expect(limiter.tracked).toBeLessThanOrEqual(4 * MAX_TRACKED);
  });
});
