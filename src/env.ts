/**
 * Every environment variable the product code reads, in one place (README, "Environment", lists the
 * same). Read when called, not at load, so a test can set one first. Nothing else in src/ reads
 * process.env for a setting.
 */

/** WAVEBENCH_MFCC_WASM: a path to mfcc.wasm tried before the bundled one (kernel tests, packaging checks). */
export function mfccWasmOverride(): string | undefined {
  return process.env.WAVEBENCH_MFCC_WASM || undefined;
}

/**
 * WAVEBENCH_TEST_BREAK_ACTIVATION=1: activation throws. Set only by the test runner's self-test
 * (test/vscode/brokenActivation.mjs), which proves a broken activation fails the suite; there is no
 * other way to break an installed extension from outside.
 */
export function breakActivation(): boolean {
  return process.env.WAVEBENCH_TEST_BREAK_ACTIVATION === '1';
}
