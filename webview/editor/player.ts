/**
 * The editor's audio playback: one AudioContext and source, the play cursor, and the chunk being
 * played. Short files come whole with `init`; long ones in chunks the host decodes on request
 * (`requestAudio`, answered by `audio` messages passed to `received`). Browser only.
 */
import type { AudioView } from '../../src/protocol/editor';

/** Seconds of audio asked for per chunk of a long file. */
export const CHUNK_SEC = 30;

/** What the play button shows. */
export type PlayerStatus = 'stopped' | 'playing' | 'loading';

export interface PlayerHost {
  /** Asks the host for `durationSec` of audio from `startSec`; the answer carries `requestId`. */
  requestAudio(requestId: number, startSec: number, durationSec: number): void;
  /** The status changed. */
  onStatus(status: PlayerStatus): void;
  /** The cursor moved (while playing, on every animation frame). */
  onCursor(sec: number): void;
}

export class Player {
  private ctx: AudioContext | undefined;
  private source: AudioBufferSourceNode | undefined;
  private playStart = 0;
  private playOffset = 0;
  private playing = false;
  private cursor = 0;
  private whole: AudioView | undefined;
  private durationSec = 0;
  private chunk: { startSec: number; buffer: AudioBuffer } | undefined;
  private audioRequest = 0;
  private pendingPlayFrom: number | undefined;
  private loaded = false;
  private disposed = false;

  constructor(private readonly host: PlayerHost) {}

  get isPlaying(): boolean {
    return this.playing;
  }
  /** The play position in seconds. */
  get cursorSec(): number {
    return this.cursor;
  }

  /** A new file: `audio` is the whole file when the host sent it, else chunks are requested. */
  load(audio: AudioView | undefined, durationSec: number): void {
    this.loaded = true;
    this.whole = audio;
    this.durationSec = durationSec;
    this.chunk = undefined;
    this.stop();
  }

  /** Moves the cursor to `t` (playback continues from there when playing). */
  seek(t: number): void {
    this.cursor = t;
    if (this.playing) this.play(t);
  }

  /** Moves the cursor to `t` and plays from there. */
  playFrom(t: number): void {
    this.cursor = t;
    this.play(t);
  }

  togglePlay(): void {
    if (this.playing) {
      this.cursor = this.playOffset + (this.ctx!.currentTime - this.playStart);
      this.stop();
      this.host.onCursor(this.cursor);
    } else this.play(this.cursor);
  }

  stop(): void {
    if (this.source) {
      this.source.onended = null;
      this.source.stop();
      this.source.disconnect();
      this.source = undefined;
    }
    this.playing = false;
    this.pendingPlayFrom = undefined;
    this.host.onStatus('stopped');
  }

  /** An `audio` answer from the host; plays it if it answers the pending request. */
  received(m: { requestId: number; startSec: number; audio: AudioView }): void {
    if (m.requestId !== this.audioRequest || this.pendingPlayFrom === undefined) return;
    const from = this.pendingPlayFrom;
    this.chunk = { startSec: m.startSec, buffer: this.toBuffer(m.audio) };
    this.pendingPlayFrom = undefined;
    this.startSource(this.chunk.buffer, this.chunk.startSec, Math.max(from, m.startSec));
  }

  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    void this.ctx?.close();
    this.ctx = undefined;
    this.chunk = undefined;
  }

  private play(from: number): void {
    this.stop();
    if (this.disposed || !this.loaded) return;
    if (this.whole) {
      this.chunk ??= { startSec: 0, buffer: this.toBuffer(this.whole) };
      this.startSource(this.chunk.buffer, 0, Math.min(from, this.chunk.buffer.duration));
      return;
    }
    const c = this.chunk;
    if (c && from >= c.startSec && from < c.startSec + c.buffer.duration - 0.05) {
      this.startSource(c.buffer, c.startSec, from);
      return;
    }
    this.pendingPlayFrom = from;
    this.host.onStatus('loading');
    this.host.requestAudio(++this.audioRequest, from, CHUNK_SEC);
  }

  private toBuffer(audio: AudioView): AudioBuffer {
    this.ctx ??= new AudioContext();
    const samples = new Float32Array(audio.samples);
    const buf = this.ctx.createBuffer(1, Math.max(1, samples.length), audio.sampleRate);
    buf.copyToChannel(samples, 0);
    return buf;
  }

  private startSource(buf: AudioBuffer, bufStartSec: number, from: number): void {
    const ctx = this.ctx;
    if (!ctx) return;
    void ctx.resume();
    const source = ctx.createBufferSource();
    this.source = source;
    source.buffer = buf;
    source.connect(ctx.destination);
    this.playOffset = from;
    this.playStart = ctx.currentTime;
    source.start(0, Math.max(0, from - bufStartSec));
    const end = bufStartSec + buf.duration;
    source.onended = () => {
      this.source = undefined;
      if (this.playing && !this.whole && end < this.durationSec - 1e-3) {
        this.play(end);
        return;
      }
      this.stop();
      this.cursor = 0;
      this.host.onCursor(this.cursor);
    };
    this.playing = true;
    this.host.onStatus('playing');
    const tick = () => {
      if (!this.playing || !this.ctx) return;
      this.cursor = this.playOffset + (this.ctx.currentTime - this.playStart);
      this.host.onCursor(this.cursor);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
}
