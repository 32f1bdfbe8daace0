import type { DatasetToHost, DatasetView, HostToDataset } from '../../src/protocol/dataset';
import { clipLink, fmtInt, h } from '../common/dom';
import { relativeTo } from '../common/relativePath';
import type { WebviewApi } from '../common/vscodeApi';

/** What the dataset page persists across hide/reload: which groups are open, the scroll position, the map's hidden labels. */
export interface DatasetState {
  open: Record<string, boolean>;
  scrollY: number;
  mapHidden: string[];
}

const LIST_LIMIT = 200;

/**
 * The one state object the dataset page's parts (charts, sections) read: the inspection shown, the
 * persisted view state, the way to the host, and the file lists and groups built over them.
 */
export class DatasetPage {
  readonly state: DatasetState;
  /** The inspection shown (set by `load` before any part renders). */
  data!: DatasetView;

  constructor(private readonly api: WebviewApi<DatasetToHost, HostToDataset, DatasetState>) {
    const saved = api.getState();
    this.state = {
      open: saved?.open ?? {},
      scrollY: saved?.scrollY ?? 0,
      mapHidden: Array.isArray(saved?.mapHidden) ? saved.mapHidden : [],
    };
  }

  /** Takes a new inspection from the host. */
  load(d: DatasetView): void {
    this.data = d;
  }

  /** Persists the view state. */
  save(): void {
    this.api.setState({ ...this.state });
  }

  /** A file's name relative to the dataset root; a click opens it. */
  fileLink(path: string): HTMLButtonElement {
    return clipLink(relativeTo(path, this.data.root), path, (p) =>
      this.api.post({ type: 'openClip', path: p }),
    );
  }

  /** A list of files, the first LIST_LIMIT shown, with a button for the rest. */
  fileList(items: { path: string; note?: string }[]): HTMLElement {
    const ul = h('ul', { class: 'file-list' });
    let shown = 0;
    const more = h('button', { type: 'button', class: 'secondary small' });
    const add = (n: number) => {
      const end = Math.min(items.length, shown + n);
      for (; shown < end; shown++) {
        const it = items[shown];
        ul.appendChild(
          h('li', null, this.fileLink(it.path), it.note ? h('span', { class: 'muted note' }, it.note) : null),
        );
      }
      more.textContent = `Show more (${fmtInt(items.length - shown)} left)`;
      more.hidden = shown >= items.length;
    };
    more.addEventListener('click', () => add(1000));
    add(LIST_LIMIT);
    return h('div', null, ul, more);
  }

  /** A collapsible block whose open state persists. */
  details(key: string, summary: (Node | string)[], body: () => Node, defaultOpen = false): HTMLElement {
    const d = h('details', { class: 'group' }, h('summary', null, ...summary));
    let filled = false;
    const fill = () => {
      if (d.open && !filled) {
        filled = true;
        d.appendChild(body());
      }
    };
    d.open = this.state.open[key] ?? defaultOpen;
    fill();
    d.addEventListener('toggle', () => {
      this.state.open[key] = d.open;
      this.save();
      fill();
    });
    return d;
  }
}
