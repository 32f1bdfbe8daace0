// TFLite's fixed-point primitives (tfliteInt8.ts, computed in doubles) against the gemmlowp
// definitions written directly with BigInt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from '../../../src/model/formats/tfliteInt8';

const MIN = -2147483648;
const MAX = 2147483647;

function srdhmBig(a: number, b: number): number {
  if (a === MIN && b === MIN) return MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, like C
}

function rdbpotBig(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const X = BigInt(x);
  const remainder = X & mask;
  const threshold = (mask >> 1n) + (X < 0n ? 1n : 0n);
  return Number((X >> BigInt(e)) + (remainder > threshold ? 1n : 0n));
}

// A deterministic generator (xorshift) so a failure reproduces.
let s = 0x9e3779b9;
const next = () => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return s | 0;
};

test('SaturatingRoundingDoublingHighMul and RoundingDivideByPOT match the BigInt definitions', () => {
  const edge = [0, 1, -1, 2, -2, MAX, MIN, MIN + 1, 1 << 30, -(1 << 30), 12345, -12345];
  const values = [...edge, ...Array.from({ length: 20000 }, next)];
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const a = values[i];
    const b = i < edge.length ? edge[(i * 7) % edge.length] : next();
    assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmBig(a, b), `${a} * ${b}`);
    for (const bb of edge)
      assert.equal(saturatingRoundingDoublingHighMul(a, bb), srdhmBig(a, bb), `${a} * ${bb}`);
    const e = Math.abs(next()) % 32;
    assert.equal(roundingDivideByPOT(a, e), rdbpotBig(a, e), `${a} / 2^${e}`);
    n++;
  }
  assert.equal(n, values.length);
});

test('QuantizeMultiplier: Q31 significand and shift; MultiplyByQuantizedMultiplier rescales', () => {
  // 0.5 -> 2^30 * 2^0 ; 1 -> 2^30 * 2^1 ; 0.75 -> 0.75 * 2^31 ; values of the form q * 2^shift
  assert.deepEqual(quantizeMultiplier(0.5), [1073741824, 0]);
  assert.deepEqual(quantizeMultiplier(1), [1073741824, 1]);
  assert.deepEqual(quantizeMultiplier(0.75), [1610612736, 0]);
  assert.deepEqual(quantizeMultiplier(0), [0, 0]);
  assert.deepEqual(quantizeMultiplier(2 ** -40), [0, 0]); // shifts below -31 give zero
  for (let i = 0; i < 2000; i++) {
    const real = Math.abs(next()) / 2 ** (20 + (Math.abs(next()) % 20));
    if (real === 0) continue;
    const [m, shift] = quantizeMultiplier(real);
    assert.ok(m >= 2 ** 30 && m < 2 ** 31, `significand ${m}`);
    assert.ok(Math.abs((m / 2 ** 31) * 2 ** shift - real) <= real * 2 ** -30, `${real}`);
    const x = next() >> 12;
    const exact = x * real;
    if (Math.abs(exact) < 2 ** 30) {
      assert.ok(Math.abs(multiplyByQuantizedMultiplier(x, m, shift) - exact) <= 1, `${x} * ${real}`);
    }
  }
});
