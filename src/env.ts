/**
 * Every environment variable the product code reads, in one place (README, "Environment", lists the
 * same). Read when called, not at load, so a test can set one first. Nothing else in src/ reads
 * process.env for a setting.
 */

/** WAVEBENCH_MFCC_WASM: a path to mfcc.wasm tried before the bundled one (kernel tests, packaging checks). */
export function mfccWasmOverride(): string | undefined {
  return process.env.WAVEBENCH_MFCC_WASM || undefined;
}
