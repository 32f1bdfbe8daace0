/**
 * The checks every page's validator starts from. The protocol files are read by both sides (host:
 * src/vscode, browser: webview/); this one holds no types of its own.
 */

/** A finite number. */
export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The fields of a message-shaped value (an object with a string `type`), or undefined. */
export function fields(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  return typeof m.type === 'string' ? m : undefined;
}
