import type { IndexRecord } from '../dataset/indexFile';
import type { FileClassification } from '../model/classifier';
import type { ModelDescription } from '../model/describe';
import type { ScoreSegment, SegmentScores } from '../model/streaming/scoreSegment';

/** Host -> worker. */
export type ToWorker =
  | { type: 'init'; modelDir?: string; labelsFile?: string }
  | { type: 'classify'; taskId: number; files: string[]; topK: number; windowStrideMs: number }
  | { type: 'index'; taskId: number; files: string[] }
  | { type: 'score'; taskId: number; segments: ScoreSegment[] };

/** Worker -> host. */
export type FromWorker =
  | {
      type: 'ready';
      model?: { name: string; labels: string[]; hash: string; format: string };
      /** What was read from the model (format, front end, input, ops): `models --describe`. */
      description?: ModelDescription;
      backend?: string;
      /** The feature engine the worker's classifier uses: 'wasm' or 'js'. */
      featureEngine?: string;
      warning?: string;
    }
  | { type: 'initError'; message: string }
  | { type: 'result'; taskId: number; rows: FileClassification[] }
  | { type: 'indexed'; taskId: number; records: IndexRecord[] }
  | { type: 'scored'; taskId: number; segments: SegmentScores[] }
  | { type: 'taskError'; taskId: number; message: string };
