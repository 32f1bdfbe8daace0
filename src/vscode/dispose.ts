/** Anything with a `dispose()`: a VS Code Disposable, a worker pool, a child object. */
export interface IDisposable {
  dispose(): void;
}

/**
 * The base of everything in src/vscode/ that owns listeners, watchers or children (after
 * vscode-hexeditor's `src/disposable.ts`): each is `_register`ed once and released in one
 * `dispose()`, in reverse order of registration. No vscode import, so plain-Node tests can use it.
 */
export abstract class Disposable implements IDisposable {
  private readonly _disposables: IDisposable[] = [];
  private _isDisposed = false;

  /** True once `dispose()` has run; checked by owners after every await. */
  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Releases `d` with this object; registered after disposal, it is released at once. */
  protected _register<T extends IDisposable>(d: T): T {
    if (this._isDisposed) d.dispose();
    else this._disposables.push(d);
    return d;
  }

  /** Calls `listener` when this object is disposed (at once if it already is). */
  onDispose(listener: () => void): void {
    this._register({ dispose: listener });
  }

  /** Releases everything registered (idempotent). */
  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    for (const d of this._disposables.splice(0).reverse()) d.dispose();
  }
}
