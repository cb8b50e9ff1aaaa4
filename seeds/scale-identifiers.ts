/**
 * NHS numbers for a city larger than the demo range: children below MAX_SYNTHETIC_NHS_INDEX keep
 * the demo numbering; later ones take the remaining valid numbers of the 999 test range in order
 * (about 909,000 valid numbers in all). Beyond that a child has no NHS number yet (as a newly
 * arrived child may not), so identifiers never repeat at any size.
 */
import { withNhsCheckDigit } from '../src/child/identifiers';
import { MAX_SYNTHETIC_NHS_INDEX, syntheticNhsNumber } from './synthetic';

export function scaleNhsNumbers(): (n: number) => string | null {
  let extra: string[] | null = null;
  return (n) => {
    if (n < MAX_SYNTHETIC_NHS_INDEX) return syntheticNhsNumber(n);
    extra ??= remainingNumbers();
    return extra[n - MAX_SYNTHETIC_NHS_INDEX] ?? null;
  };
}

function remainingNumbers(): string[] {
  const used = new Set<string>();
  for (let m = 0; m < MAX_SYNTHETIC_NHS_INDEX; m++) used.add(syntheticNhsNumber(m));
  const out: string[] = [];
  for (let k = 0; k < 1_000_000; k++) {
    const full = withNhsCheckDigit(`999${String(k).padStart(6, '0')}`);
    if (full && !used.has(full)) out.push(full);
  }
  return out;
}
