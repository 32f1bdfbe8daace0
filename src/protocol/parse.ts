/**
 * The checks every page's validator starts from, and the messages the report and dataset pages
 * share. The protocol files are read by both sides (host: src/vscode, browser: webview/).
 */

/** A finite number. */
export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The fields of a message-shaped value (an object with a string `type`), or undefined. */
export function fields(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  return typeof m.type === 'string' ? m : undefined;
}

/** What the report and dataset pages both send: asking for their data, the first paint, a clip to open. */
export type PageToHost =
  { type: 'ready' } | { type: 'painted'; ms: number } | { type: 'openClip'; path: string };

/** One of the shared page messages, well formed; else undefined (another type, or malformed). */
export function parsePageToHost(m: Record<string, unknown>): PageToHost | undefined {
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'painted':
      return finite(m.ms) ? { type: 'painted', ms: m.ms } : undefined;
    case 'openClip':
      return typeof m.path === 'string' && m.path ? { type: 'openClip', path: m.path } : undefined;
    default:
      return undefined;
  }
}
