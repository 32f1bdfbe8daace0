/**
 * McNemar's exact test on paired outcomes: `onlyA` clips only model A gets right, `onlyB` only B.
 * Under "no difference" each such clip is a fair coin, so the two-sided p-value is the binomial
 * test's: 2 · P(X <= min(onlyA, onlyB)), X ~ Binomial(onlyA + onlyB, 1/2), capped at 1 (equal to
 * scipy.stats.binomtest(onlyA, onlyA + onlyB, 0.5).pvalue: for p = 1/2 both tails are mirror images).
 * Hand-written: a dozen lines, no maintained npm package does just this; summed in log space so that
 * tens of thousands of flips neither overflow nor underflow.
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  if (n === 0 || 2 * k === n) return 1;
  // log P(X = i) for i = 0..k, from log P(X = 0) = -n ln 2 and P(i+1)/P(i) = (n-i)/(i+1).
  const logs: number[] = [];
  let lp = -n * Math.LN2;
  for (let i = 0; i <= k; i++) {
    logs.push(lp);
    lp += Math.log(n - i) - Math.log(i + 1);
  }
  const top = logs[logs.length - 1];
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - top);
  return Math.min(1, 2 * Math.exp(top + Math.log(sum)));
}

/** The test's result in words, as the compare report says it. */
export function mcnemarWords(onlyA: number, onlyB: number, p: number, names: [string, string]): string {
  if (onlyA + onlyB === 0) return 'no clip is right for one model and wrong for the other: no difference';
  if (p >= 0.05) return `no evidence of a difference (p = ${formatP(p)})`;
  const better = onlyB > onlyA ? names[1] : names[0];
  return `${better} is better on these clips, p = ${formatP(p)}`;
}

/** A p-value for people: 2 significant digits, tiny ones in exponent form. */
export function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}
