// Every worked example of cwt-rules.md, named after it, through the same path as `openptl clock`.
import { describe, expect, it } from 'vitest';
import examples from '../fixtures/cwt-examples.json' with { type: 'json' };
import { clockReport } from '../../src/cli/clock.ts';

describe('cwt-rules.md worked examples', () => {
  for (const example of examples) {
    it(`${example.id}. ${example.name}`, () => {
      const report = clockReport(JSON.stringify({ asOf: example.asOf, events: example.events })) as Record<string, unknown>;
      expect(report.status).toBe(example.expected.status);
      expect(report.fds).toEqual(example.expected.fds);
      expect(report.d31).toEqual(example.expected.d31);
      expect(report.d62).toEqual(example.expected.d62);
    });
  }
});
