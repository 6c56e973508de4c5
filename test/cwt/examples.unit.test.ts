// Every worked example of cwt-rules.md (version 2), named after it: through the same path as
// `openptl clock`, and through the pure pathway the store uses (the last event folded in on its
// own and by a full replay, which must agree).
import { describe, expect, it } from 'vitest';
import examples from '../fixtures/cwt-examples.json' with { type: 'json' };
import { clockReport } from '../../src/cli/clock.ts';
import { given } from '../support/given.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

describe('cwt-rules.md worked examples', () => {
  it('are all here, E1 to E24', () => {
    expect(examples.map((e) => e.id)).toEqual(Array.from({ length: 24 }, (_, i) => `E${i + 1}`));
  });
  for (const example of examples) {
    it(`${example.id}. ${example.name}`, () => {
      const report = clockReport(JSON.stringify({ asOf: example.asOf, events: example.events })) as Record<
        string,
        unknown
      >;
      expect(report.status).toBe(example.expected.status);
      expect(report.fds).toEqual(example.expected.fds);
      expect(report.d31).toEqual(example.expected.d31);
      expect(report.d62).toEqual(example.expected.d62);
      const clocks = given(example.events.slice(0, -1), { asOf: example.asOf as IsoDate })
        .when(example.events.at(-1)!)
        .then(report.stage as string);
      expect(clocks).toEqual({
        status: example.expected.status,
        fds: example.expected.fds,
        d31: example.expected.d31,
        d62: example.expected.d62,
      });
    });
  }
});
