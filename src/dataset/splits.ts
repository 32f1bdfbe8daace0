import { createHash } from 'node:crypto';

/** The three sets of speech_commands. */
export type SplitName = 'training' | 'validation' | 'testing';

/** speech_commands' default `--validation_percentage` (train.py). */
export const DEFAULT_VALIDATION_PERCENT = 10;
/** speech_commands' default `--testing_percentage` (train.py). */
export const DEFAULT_TESTING_PERCENT = 10;

/** Why a pair of split percentages cannot be used (each in [0, 100], together at most 100), or undefined. */
export function splitPercentError(validation: number, testing: number): string | undefined {
  const ok = (x: number) => Number.isFinite(x) && x >= 0 && x <= 100;
  if (!ok(validation)) return 'the validation percentage must be a number from 0 to 100';
  if (!ok(testing)) return 'the testing percentage must be a number from 0 to 100';
  if (validation + testing > 100)
    return 'the validation and testing percentages together must not exceed 100';
  return undefined;
}

/** speech_commands' MAX_NUM_WAVS_PER_CLASS (2**27 - 1): the hash is reduced modulo this + 1. */
const MAX_NUM_WAVS_PER_CLASS = 2 ** 27 - 1;
const MODULUS = BigInt(MAX_NUM_WAVS_PER_CLASS + 1);

/** Last path segment, for `/` and `\` separators alike (lists and Windows paths). */
function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

/**
 * The hash percentage in [0, 100] of speech_commands' `which_set`: sha1 of the base name with
 * `_nohash_...` removed, as a 160-bit integer modulo 2**27, times 100 / (2**27 - 1). BigInt because
 * the digest does not fit a double; the last multiplication is a double one, exactly as in Python.
 */
export function splitPercentage(path: string): number {
  // Python's `.` does not match a newline; neither does JavaScript's, so `[^]` is not wanted here.
  const hashName = baseName(path).replace(/_nohash_.*$/, '');
  const hex = createHash('sha1').update(hashName, 'utf8').digest('hex');
  return Number(BigInt('0x' + hex) % MODULUS) * (100 / MAX_NUM_WAVS_PER_CLASS);
}

/** speech_commands' `which_set(filename, validation_percentage, testing_percentage)`, bit for bit. */
export function whichSet(
  path: string,
  validationPercent = DEFAULT_VALIDATION_PERCENT,
  testingPercent = DEFAULT_TESTING_PERCENT,
): SplitName {
  const p = splitPercentage(path);
  if (p < validationPercent) return 'validation';
  if (p < testingPercent + validationPercent) return 'testing';
  return 'training';
}

/**
 * The split of a file given speech_commands' `validation_list.txt` / `testing_list.txt`: listed
 * files go to that list's set, every other file to training. `rel` is relative to the dataset root
 * with `/` separators, as the lists are written.
 */
export function splitFromLists(
  rel: string,
  lists: { validation: Set<string>; testing: Set<string> },
): SplitName {
  if (lists.validation.has(rel)) return 'validation';
  if (lists.testing.has(rel)) return 'testing';
  return 'training';
}

const FSDD = /^\d+_([^_]+)_\d+\.wav$/i;

/**
 * The speaker of a file, from its name: the part before `_nohash_` (speech_commands), else SPEAKER
 * of an FSDD-style `DIGIT_SPEAKER_INDEX.wav`; undefined when the name says nothing.
 */
export function speakerOf(path: string): string | undefined {
  const base = baseName(path);
  const i = base.indexOf('_nohash_');
  if (i > 0) return base.slice(0, i);
  const m = FSDD.exec(base);
  return m ? m[1] : undefined;
}
