// Small numbers (issue #27): statistical disclosure control for figures that leave the server for
// people without pathway access, after NHS England's practice for secondary care data (the HES and
// Data Quality Maturity Index suppression rules): a count from 1 to 7 is suppressed (primary), and
// so is the next smallest figure of any total that would otherwise let it be worked back
// (secondary). Zero is shown. Pure: cells are numbers, relations the totals that bind them.

/** Counts from 1 to this are suppressed. */
export const SMALLEST_SHOWN = 8;

export const isSmall = (n: number): boolean => n >= 1 && n < SMALLEST_SHOWN;

/**
 * Which cells to suppress. `relations` lists the sets of cells bound by one total (a total and its
 * parts: a row, a column, a band and its sub-bands). Primary: every count from 1 to 7. Secondary:
 * while a relation has exactly one suppressed cell (which its total would give back), suppress
 * another of it, the smallest non-zero one, a part before its total (`margins`); a zero only when
 * nothing else is left. Ends with no relation holding exactly one suppressed cell.
 */
export function suppress(
  values: readonly number[],
  relations: readonly (readonly number[])[],
  margins: ReadonlySet<number> = new Set(),
): boolean[] {
  const hidden = values.map(isSmall);
  const rank = (i: number): [number, number, number] => [values[i]! > 0 ? 0 : 1, margins.has(i) ? 1 : 0, values[i]!];
  const before = (a: number, b: number) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a - b;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const relation of relations) {
      const members = [...new Set(relation)];
      if (members.filter((i) => hidden[i]).length !== 1) continue;
      const next = members.filter((i) => !hidden[i]).sort(before)[0];
      if (next === undefined) continue;
      hidden[next] = true;
      changed = true;
    }
  }
  return hidden;
}

// ---- rates and their confidence intervals ----

/** The normal deviate of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

export interface RateRatio {
  ratio: number;
  lower: number;
  upper: number;
}

/**
 * The ratio of two proportions, a/n1 against b/n2, with its 95% confidence interval by the log
 * (Katz) method: SE(ln RR) = sqrt(1/a - 1/n1 + 1/b - 1/n2) (Katz et al., Biometrics 1978; Gardner
 * and Altman, Statistics with confidence). Null when either count or denominator is zero: not calculable.
 */
export function rateRatio(a: number, n1: number, b: number, n2: number): RateRatio | null {
  if (a <= 0 || b <= 0 || n1 <= 0 || n2 <= 0) return null;
  const ratio = a / n1 / (b / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2);
  return { ratio, lower: Math.exp(Math.log(ratio) - Z95 * se), upper: Math.exp(Math.log(ratio) + Z95 * se) };
}
