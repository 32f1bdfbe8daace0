/** A metadata problem, naming the field. */
export class MetadataError extends Error {}

/** `value` when `cond` holds, else a MetadataError with `msg`. */
export function req<T>(cond: unknown, msg: string, value: T): T {
  if (!cond) throw new MetadataError(msg);
  return value;
}

/** A finite number. */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
