// The benchmark's latency figure: percentiles of some samples in milliseconds, rounded to 0.01,
// in the order every *_ms line prints them (scripts/bench.ts, scripts/ptl-pages.ts).
export function latency(samples: readonly number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))]! * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), unit: 'ms', samples: s.length, p90: at(0.9), max: at(1) };
}
