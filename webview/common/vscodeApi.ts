/**
 * A typed wrapper over the VS Code webview API, generic in the messages each side sends and in the
 * persisted view state. `acquireVsCodeApi()` may be called only once per page, so the handle is cached.
 */

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

/** The webview side of one view: what it posts, what it receives, what it persists. */
export interface WebviewApi<ToHost, FromHost, State extends object> {
  /** Sends a message to the extension host. */
  post(message: ToHost): void;
  /** Calls `handler` for each message from the host; returns a function that unsubscribes. */
  onMessage(handler: (message: FromHost) => void): () => void;
  /** The persisted view state (survives the panel being hidden and reloaded), if any. */
  getState(): State | undefined;
  /** Replaces the persisted view state. */
  setState(state: State): void;
  /** Merges `patch` into the persisted view state. */
  patchState(patch: Partial<State>): void;
}

let raw: RawVsCodeApi | undefined;

function rawApi(): RawVsCodeApi {
  if (!raw) raw = acquireVsCodeApi();
  return raw;
}

/** The typed API of this webview. Messages that are not objects with a string `type` are ignored. */
export function vscodeApi<ToHost, FromHost, State extends object = Record<string, unknown>>(): WebviewApi<
  ToHost,
  FromHost,
  State
> {
  const api = rawApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage(handler) {
      const listener = (e: MessageEvent) => {
        const m: unknown = e.data;
        if (m && typeof m === 'object' && typeof (m as { type?: unknown }).type === 'string')
          handler(m as FromHost);
      };
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
    getState: () => {
      const s = api.getState();
      return s && typeof s === 'object' ? (s as State) : undefined;
    },
    setState: (state) => {
      api.setState(state);
    },
    patchState(patch) {
      const s = api.getState();
      api.setState({ ...(s && typeof s === 'object' ? s : {}), ...patch });
    },
  };
}
