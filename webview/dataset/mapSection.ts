/** The dataset page's "Map" section: the button that builds the map (runs the review), its status, the map. */
import type { DatasetMap, HostToDataset } from '../../src/protocol/dataset';
import { h, replaceChildren } from '../common/dom';
import { section } from '../common/sections';
import { MapCanvas, type MapHooks } from './mapCanvas';

/** Kept across the page's re-renders (a watched change re-renders the report, not the map). */
export class MapSection {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status = h('p', { class: 'muted', role: 'status' });
  private readonly box = h('div');
  private readonly canvas: MapCanvas;
  private root: string | undefined;
  /** A build is under way: its map is scrolled into view when it comes. */
  private building = false;

  constructor(hooks: MapHooks & { build(): void }) {
    this.canvas = new MapCanvas(hooks);
    this.button = h(
      'button',
      { type: 'button', class: 'small', onClick: () => hooks.build() },
      'Build map (runs the model)',
    );
    this.el = section(
      'Map',
      h(
        'p',
        { class: 'muted hint' },
        "Each clip placed by its embedding (the model's last dense layer's input), coloured by label; suspect labels ringed, duplicates marked. Building it runs the review of this folder with the configured model.",
      ),
      h('div', { class: 'map-bar' }, this.button, this.status),
      this.box,
    );
  }

  /** The inspected folder changed: a map of another folder is dropped. */
  setRoot(root: string): void {
    if (this.root !== undefined && this.root !== root) {
      replaceChildren(this.box);
      this.status.textContent = '';
      this.button.disabled = false;
    }
    this.root = root;
  }

  /** A map or a status from the host. */
  receive(m: HostToDataset): void {
    if (m.type === 'map') this.show(m.map);
    else if (m.type === 'mapStatus') {
      this.building = m.state === 'running';
      this.button.disabled = m.state === 'running';
      this.status.textContent =
        m.state === 'running'
          ? 'Reviewing the clips with the model…'
          : m.state === 'none'
            ? `No map: ${m.message ?? ''}`
            : `The map could not be built: ${m.message ?? ''}`;
      this.status.className = m.state === 'failed' ? 'bad-text' : 'muted';
    }
  }

  private show(map: DatasetMap): void {
    this.button.disabled = false;
    this.button.textContent = 'Rebuild map';
    this.status.textContent = '';
    if (!this.box.firstChild) this.box.appendChild(this.canvas.el);
    this.canvas.show(map);
    if (this.building) this.el.scrollIntoView({ block: 'start' });
    this.building = false;
  }

  /** Theme change or resize. */
  redraw(): void {
    this.canvas.redraw();
  }
}
