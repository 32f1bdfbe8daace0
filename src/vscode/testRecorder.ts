import type { WebviewName } from './webviewHtml';

/** One message between the host and a webview, as the integration tests observe it. */
export interface RecordedMessage {
  panel: WebviewName;
  /** `in`: from the webview; `out`: to it. */
  dir: 'in' | 'out';
  /** The document or panel it concerns (the editor's file URI; the report's or dataset's title). */
  uri: string;
  type: string;
  /** The `what` of a `painted` message. */
  what?: string;
  /** The text of a `decodeError` message (the decoder's reason, asserted word for word), or a `truthProblems` one's lines. */
  message?: string;
  /** The counts or positions of a `drawn` message (what the editor drew against a label file, where a seek put it). */
  detail?: Record<string, number>;
  /** performance.now() when it passed. */
  at: number;
}

/** Messages kept at most: the oldest are dropped beyond it, so a long test session cannot grow without bound. */
export const RECORDER_LIMIT = 10_000;

/**
 * Test observation of the webviews' traffic: off (nothing kept, nothing allocated) unless the
 * extension runs in ExtensionMode.Test or a test turns it on through the extension's API. One
 * instance for the extension, handed to the editor and the panels.
 */
export class TestRecorder {
  private buffer: RecordedMessage[] | undefined;

  /** Turns recording on (idempotent). */
  enable(): void {
    this.buffer ??= [];
  }

  get enabled(): boolean {
    return !!this.buffer;
  }

  /** Keeps a message when recording is on. */
  record(m: Omit<RecordedMessage, 'at'>): void {
    const b = this.buffer;
    if (!b) return;
    b.push({ ...m, at: performance.now() });
    if (b.length > RECORDER_LIMIT) b.splice(0, b.length - RECORDER_LIMIT);
  }

  /** The messages kept, oldest first (a copy). */
  messages(): RecordedMessage[] {
    return this.buffer ? [...this.buffer] : [];
  }

  /** The first kept message matching every field given. */
  find(match: Partial<Omit<RecordedMessage, 'at'>>): RecordedMessage | undefined {
    return this.buffer?.find((m) =>
      Object.entries(match).every(([k, v]) => m[k as keyof RecordedMessage] === v),
    );
  }
}
