/**
 * The label review page: the review's summary and its queues, one clip at a time (spectrogram, play
 * with Space, the model's top labels, given and suggested label), decided from the keyboard (model.ts
 * keyAction) or the buttons. Accept and pick ask the host to move the clip (it confirms with the user
 * first); keep is recorded here. Decisions are exported by the host as CSV.
 */
import type { HostToReview, QueueName, ReviewToHost, ReviewView } from '../../src/protocol/review';
import { h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { vscodeApi } from '../common/vscodeApi';
import { Player } from '../editor/player';
import { keyAction, ReviewQueue, type Action } from './model';
import { card, paintCard, queueTabs, summary, type ShownClip } from './page';

interface ReviewState {
  queue?: QueueName;
  at?: Partial<Record<QueueName, number>>;
  scrollY: number;
}

const t0 = performance.now();
const api = vscodeApi<ReviewToHost, HostToReview, ReviewState>();
const saved: ReviewState = { scrollY: 0, ...(api.getState() ?? {}) };
const app = document.getElementById('app') ?? document.body;
let view: ReviewView | undefined;
let settings = { colormap: 'viridis', dbFloor: -100 };
let queue: ReviewQueue | undefined;
let clip: ShownClip | undefined;
let clipRequest = 0;
let playing = false;
let clipError: string | undefined;
let message: string | undefined;

const player = new Player({
  requestAudio: () => undefined, // a queued clip's audio comes whole with it
  onStatus: (s) => {
    const now = s === 'playing';
    if (now !== playing) {
      playing = now;
      render();
    }
  },
  onCursor: () => undefined,
});
window.addEventListener('pagehide', () => player.dispose());

function save(): void {
  if (queue) api.setState({ ...saved, queue: queue.queue, at: queue.positions });
}

/** Asks for the shown clip (its spectrogram, audio and top labels). */
function requestClip(): void {
  const item = queue?.current;
  player.stop();
  clipError = undefined;
  if (!item) return;
  if (clip?.path === item.path) return;
  clip = undefined;
  api.post({ type: 'requestClip', requestId: ++clipRequest, path: item.path });
}

function act(a: Action): void {
  if (!queue || !view) return;
  const item = queue.current;
  message = undefined;
  switch (a.kind) {
    case 'next':
    case 'prev':
      if (queue.move(a.kind === 'next' ? 1 : -1)) requestClip();
      break;
    case 'play':
      if (clip && clip.path === item?.path) player.togglePlay();
      return;
    case 'keep':
      if (!item) return;
      queue.keep(item, new Date().toISOString());
      if (queue.move(1)) requestClip();
      break;
    case 'accept':
    case 'pick': {
      const to = a.kind === 'accept' ? item?.suggested : a.label;
      if (!item || !to || to === item.label) return;
      message = `Moving to ${to}/ once you confirm…`;
      api.post({ type: 'relabel', path: item.path, to, kind: a.kind, score: item.score });
      break;
    }
    case 'export':
      api.post({ type: 'exportDecisions', decisions: queue.decisions() });
      return;
    case 'undo': {
      const d = item && queue.decision(item);
      if (item && d?.movedTo) api.post({ type: 'undoRelabel', path: item.path });
      return;
    }
  }
  save();
  render();
}

function render(): void {
  if (!view || !queue) return;
  const v = view;
  const q = queue;
  const body = card(
    v,
    q,
    clip,
    { playing, error: clipError, message },
    {
      act,
      open: (path) => api.post({ type: 'openClip', path }),
    },
  );
  replaceChildren(
    app,
    ...summary(v, q.decisions().length, () => act({ kind: 'export' })),
    h(
      'section',
      null,
      queueTabs(v, q, (name) => {
        q.show(name as QueueName);
        requestClip();
        save();
        render();
      }),
      body,
    ),
  );
  paintCard(body, clip?.path === q.current?.path ? clip : undefined, settings);
}

api.onMessage((m) => {
  if (m.type === 'key') {
    document.dispatchEvent(new KeyboardEvent('keydown', { key: m.key, shiftKey: m.shiftKey, bubbles: true }));
    return;
  }
  if (!queue) return;
  switch (m.type) {
    case 'clip':
      if (m.requestId !== clipRequest) return;
      clip = { path: m.path, durationSec: m.durationSec, spectrogram: m.spectrogram, top: m.top };
      player.load(m.audio, m.durationSec);
      break;
    case 'clipError':
      if (m.requestId !== clipRequest) return;
      clipError = `Cannot read this clip: ${m.message}`;
      break;
    case 'relabelled':
      queue.moved(m.path, m.newPath, m.to, m.kind, m.time);
      message = `Moved to ${m.to}/.`;
      if (clip?.path === m.path) {
        clip = { ...clip, path: m.newPath };
        if (queue.move(1)) requestClip();
      }
      save();
      break;
    case 'relabelDeclined':
      message = `Not moved: ${m.reason}.`;
      break;
    case 'relabelUndone':
      queue.undone(m.path, m.newPath);
      if (clip?.path === m.newPath) clip = { ...clip, path: m.path };
      message = 'Move undone: the clip is back.';
      break;
    default:
      return;
  }
  render();
});

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'SELECT' || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
  const a = view && keyAction(e, view.labels);
  if (!a) return;
  e.preventDefault();
  act(a);
});

runPageLifecycle<{ view: ReviewView; settings: typeof settings }>({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as Extract<HostToReview, { type: 'init' }>) : undefined),
  render: (init) => {
    view = init.view;
    settings = init.settings;
    queue = new ReviewQueue(init.view, saved);
    clip = undefined;
    requestClip();
    render();
  },
  redrawCharts: () => render(),
  scroll: {
    get: () => saved.scrollY,
    set: (y) => {
      saved.scrollY = y;
      save();
    },
  },
});
