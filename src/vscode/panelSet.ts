import { Disposable } from './dispose';

/** The open panels of one kind: one set for the extension, disposed with it (a closed panel leaves it). */
export class PanelSet<P extends Disposable> extends Disposable {
  private readonly open = new Set<P>();

  constructor() {
    super();
    this._register({ dispose: () => [...this.open].forEach((p) => p.dispose()) });
  }

  /** Keeps `p` until it is disposed; returns it. */
  add(p: P): P {
    this.open.add(p);
    p.onDispose(() => this.open.delete(p));
    return p;
  }
}
