import { Disposable, type IDisposable } from './dispose';
import type { RecordedMessage, TestRecorder } from './testRecorder';
import type { WebviewName } from './webviewHtml';

/**
 * The parts of a `vscode.WebviewPanel` a host uses (a WebviewPanel is one): narrow, so a plain-Node
 * test can drive a host with a fake panel.
 */
export interface HostedPanel {
  readonly webview: {
    postMessage(message: unknown): PromiseLike<boolean>;
    onDidReceiveMessage(listener: (raw: unknown) => unknown): IDisposable;
  };
  onDidDispose(listener: () => void): IDisposable;
}

/** What a page is: its name, the key its traffic is recorded under, and the messages it accepts. */
export interface WebviewPage<ToHost extends { type: string }, FromHost extends { type: string }> {
  name: WebviewName;
  /** The document URI (editor) or the panel's title (report, dataset) the recorder files messages under. */
  key: string;
  /** The page's validator: a well-formed message, or undefined (then it is dropped unseen). */
  parse: (raw: unknown) => ToHost | undefined;
  /** Called with each accepted message while the host is live; a rejection is reported by `onError`. */
  receive: (m: ToHost) => void | Promise<void>;
  /** A handler's failure (default: dropped; the editor shows it as its error page). */
  onError?: (e: Error) => void;
  /** Extra recorded fields of a message (the editor's `what` of `painted`, `message` of `decodeError`). */
  note?: (m: ToHost | FromHost) => Pick<RecordedMessage, 'what' | 'message' | 'detail'>;
}

/**
 * The one host under every Wavebench webview (editor, report, dataset): posts (and records for the
 * tests), receives only what the page's validator accepts, and knows when it is disposed (its panel
 * closed or its owner let it go), after which it neither posts nor receives.
 */
export class WebviewHost<
  ToHost extends { type: string },
  FromHost extends { type: string },
> extends Disposable {
  constructor(
    private readonly panel: HostedPanel,
    private readonly page: WebviewPage<ToHost, FromHost>,
    private readonly recorder: TestRecorder,
  ) {
    super();
    this._register(panel.webview.onDidReceiveMessage((raw) => this.receive(raw)));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  /** False once the panel closed or the host was disposed: check it again after every await. */
  get live(): boolean {
    return !this.isDisposed;
  }

  /** Sends a message to the page (nothing once disposed). */
  post(m: FromHost): void {
    if (this.isDisposed) return;
    this.record('out', m);
    void this.panel.webview.postMessage(m);
  }

  /** A message from the page (also how tests post one): dropped unless the page's validator accepts it. */
  receive(raw: unknown): void {
    if (this.isDisposed) return;
    const m = this.page.parse(raw);
    if (!m) return;
    this.record('in', m);
    let pending: void | Promise<void>;
    try {
      pending = this.page.receive(m);
    } catch (e) {
      return this.failed(e);
    }
    if (pending) pending.catch((e: unknown) => this.failed(e));
  }

  private failed(e: unknown): void {
    if (this.isDisposed) return;
    this.page.onError?.(e instanceof Error ? e : new Error(String(e)));
  }

  private record(dir: 'in' | 'out', m: ToHost | FromHost): void {
    if (!this.recorder.enabled) return;
    this.recorder.record({
      panel: this.page.name,
      dir,
      uri: this.page.key,
      type: m.type,
      ...this.page.note?.(m),
    });
  }
}
