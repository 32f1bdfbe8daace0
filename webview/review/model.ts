/**
 * The review queue as plain data (no DOM, unit-tested in Node): which queue and clip is shown, what
 * a key does, the decisions taken (kept in the page, exported as CSV by the host), and how a relabel
 * and its undo change the queue's clips.
 */
import type { DecisionView, QueueItem, QueueName, ReviewView } from '../../src/protocol/review';

/** What the user can do from the keyboard or the buttons. */
export type Action =
  | { kind: 'accept' }
  | { kind: 'keep' }
  | { kind: 'pick'; label: string }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'play' }
  | { kind: 'undo' }
  | { kind: 'export' };

/** The queues in the order the page lists them, with their titles. */
export const QUEUES: { name: QueueName; title: string }[] = [
  { name: 'suspects', title: 'Likely mislabelled' },
  { name: 'duplicates', title: 'Duplicates' },
  { name: 'outliers', title: 'Outliers' },
  { name: 'selection', title: 'Chosen clips' },
];

/**
 * The action of a key press, or undefined. Space plays; A accepts the suggestion; K keeps the label;
 * 1-9 pick the n-th label; J, ArrowDown or ArrowRight go to the next clip, ArrowUp, ArrowLeft or
 * Shift+J to the previous one (K already keeps); Ctrl/Cmd+Z and U undo the shown clip's move; E exports
 * the decisions.
 */
export function keyAction(
  e: { key: string; shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean },
  labels: string[],
): Action | undefined {
  if (e.altKey) return undefined;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !e.shiftKey) return { kind: 'undo' };
  if (e.ctrlKey || e.metaKey) return undefined;
  const k = e.key;
  if (k === ' ') return { kind: 'play' };
  if (k === 'ArrowDown' || k === 'ArrowRight') return { kind: 'next' };
  if (k === 'ArrowUp' || k === 'ArrowLeft') return { kind: 'prev' };
  switch (k.toLowerCase()) {
    case 'a':
      return { kind: 'accept' };
    case 'k':
      return { kind: 'keep' };
    case 'j':
      return { kind: e.shiftKey ? 'prev' : 'next' };
    case 'u':
      return { kind: 'undo' };
    case 'e':
      return { kind: 'export' };
  }
  if (/^[1-9]$/.test(k)) {
    const label = labels[Number(k) - 1];
    return label === undefined ? undefined : { kind: 'pick', label };
  }
  return undefined;
}

/** The page's state of the queues: positions, decisions, moves. */
export class ReviewQueue {
  queue: QueueName;
  private readonly at: Record<QueueName, number> = { suspects: 0, duplicates: 0, outliers: 0, selection: 0 };
  /** Decisions by the clip's path when reviewed (the newest one for a clip counts). */
  private readonly decided = new Map<string, DecisionView>();
  /** What a moved clip was (by where it went), to restore on undo. */
  private readonly was = new Map<string, { label: string; rel: string }>();

  constructor(
    private readonly view: ReviewView,
    saved?: { queue?: QueueName; at?: Partial<Record<QueueName, number>> },
  ) {
    this.queue = saved?.queue && view.queues[saved.queue]?.length ? saved.queue : view.start;
    for (const q of QUEUES) this.at[q.name] = Math.max(0, saved?.at?.[q.name] ?? 0);
  }

  /** The clips of the shown queue. */
  get items(): QueueItem[] {
    return this.view.queues[this.queue];
  }

  /** The position in the shown queue (clamped to it). */
  get index(): number {
    return Math.min(this.at[this.queue], Math.max(0, this.items.length - 1));
  }

  /** The clip shown, if the queue has any. */
  get current(): QueueItem | undefined {
    return this.items[this.index];
  }

  /** Positions, for the page's saved state. */
  get positions(): Record<QueueName, number> {
    return { ...this.at };
  }

  /** Shows another queue (at its last position). */
  show(q: QueueName): void {
    this.queue = q;
  }

  /** Moves by `step` clips in the shown queue, clamped; returns true when the clip changed. */
  move(step: number): boolean {
    const was = this.index;
    this.at[this.queue] = Math.max(0, Math.min(this.items.length - 1, was + step));
    return this.index !== was;
  }

  /** The decision on a clip, if any (by its path when reviewed, or where it was moved). */
  decision(item: QueueItem): DecisionView | undefined {
    return this.decided.get(item.path);
  }

  /** Records keeping `item`'s label. */
  keep(item: QueueItem, time: string): DecisionView {
    const d: DecisionView = { path: item.path, from: item.label, to: item.label, kind: 'keep', time };
    if (item.score !== undefined) d.score = item.score;
    this.decided.set(item.path, d);
    return d;
  }

  /**
   * Records a move the host made: the decision, and every queue's entry for the clip now names its
   * new path and label (a clip can be in several queues).
   */
  moved(path: string, newPath: string, to: string, kind: 'accept' | 'pick', time: string): void {
    const item = this.find(path);
    const d: DecisionView = { path, from: item?.label ?? '', to, kind, movedTo: newPath, time };
    if (item?.score !== undefined) d.score = item.score;
    this.decided.set(newPath, d);
    this.decided.delete(path);
    if (item) this.was.set(newPath, { label: item.label, rel: item.rel });
    // The host moves a clip to <folder>/<label>/<name>.
    this.retarget(path, newPath, to, `${to}/${nameOf(newPath)}`);
  }

  /** A move undone: the clip is back at `path`, its decision dropped. */
  undone(path: string, newPath: string): void {
    const was = this.was.get(newPath);
    this.decided.delete(newPath);
    this.was.delete(newPath);
    this.retarget(newPath, path, was?.label ?? labelFromPath(path), was?.rel ?? nameOf(path));
  }

  /** Every decision, in the order taken. */
  decisions(): DecisionView[] {
    return [...this.decided.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  private find(path: string): QueueItem | undefined {
    for (const q of QUEUES) {
      const it = this.view.queues[q.name].find((i) => i.path === path);
      if (it) return it;
    }
    return undefined;
  }

  private retarget(from: string, to: string, label: string, rel: string): void {
    for (const q of QUEUES)
      for (const it of this.view.queues[q.name])
        if (it.path === from) Object.assign(it, { path: to, label, rel });
  }
}

/** The label folder of a path (its parent folder's name); `/` or `\\` separated. */
export function labelFromPath(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 2] ?? '';
}

/** A path's last component. */
const nameOf = (path: string) => path.split(/[\\/]/).pop() ?? path;
