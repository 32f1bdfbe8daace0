/**
 * The speech_commands seed's frozen GraphDef (`freeze.py` output, a `.pb`), read without TF.js: the
 * audio front end is read from the graph's own ops and mapped onto Wavebench's exact feature engine
 * (graphdef.ts runs everything after it on TF.js's graph executor).
 *
 *   wav_data -> DecodeWav -> AudioSpectrogram -> Mfcc                      (--preprocess=mfcc)
 *                                             -> ExpandDims -> AvgPool     (--preprocess=average)
 *                                             (alone)                      (a plain spectrogram)
 *            -> DecodeWav -> Mul 32767 -> Cast int16 -> AudioMicrofrontend -> Mul 10/256 (micro)
 *
 * A graph with none of these (its input already a fingerprint) needs a metadata.json beside it.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { MICRO_DEFAULTS, MICRO_SEED_SAMPLE_SCALE } from '../../audio/microFrontend';
import { loadMetadata, metadataFromLabels, MetadataError, ModelError, type ModelMetadata } from '../metadata';
import { MODEL_FILE_LIMITS } from '../modelFiles';
import { readNamedFile } from '../readModel';
import { checkCount, checkFinite, checkFrontEnd, checkInt, ModelLimitError, shapeSize } from '../limits';
import { decodeGraphDef, type AttrValueObj, type NodeDefObj, type TensorProtoObj } from './graphdefProto';

/** Options of a model load. */
export interface GraphDefLoadOptions {
  /** A labels file (one label a line); default a .txt beside the .pb. */
  labelsFile?: string;
}

/** Ops that read or decode audio: they belong to the front end, never to the model body. */
export const AUDIO_OPS = new Set(['DecodeWav', 'AudioSpectrogram', 'Mfcc', 'AudioMicrofrontend']);
/** Ops that never produce the output (a sink of these kinds is not a candidate output). */
const NOT_OUTPUTS = new Set(['NoOp', 'Const', 'Placeholder', 'SaveV2', 'RestoreV2', 'Assert']);

export const nodeName = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');

function attrInt(n: NodeDefObj, k: string, def: number): number {
  const v = n.attr?.[k]?.i;
  return v === undefined ? def : Number(v);
}
function attrFloat(n: NodeDefObj, k: string, def: number): number {
  const v = n.attr?.[k]?.f;
  return v === undefined ? def : v;
}
function attrBool(n: NodeDefObj, k: string, def: boolean): boolean {
  const v = n.attr?.[k]?.b;
  return v === undefined ? def : v;
}
function attrInts(n: NodeDefObj, k: string): number[] {
  return (n.attr?.[k]?.list?.i ?? []).map(Number);
}
function attrString(n: NodeDefObj, k: string): string {
  const s = n.attr?.[k]?.s;
  return s ? Buffer.from(s).toString('latin1') : '';
}

/** A Const's value as a typed array (TensorFlow's rule: a short value list repeats its last value). */
export function tensorValues(t: TensorProtoObj | undefined): {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
} {
  const dt = t?.dtype ?? 'DT_INVALID';
  const shape = (t?.tensorShape?.dim ?? []).map((d) => Number(d.size ?? 0));
  if (shape.some((d) => d < 0)) throw new Error('a constant with an unknown dimension');
  // Bounded before anything is allocated: a Const of shape [3e8] with one value is 130 bytes on disk.
  const count = shapeSize(shape, 'the constant');
  const content = t?.tensorContent;
  const view = content ? new DataView(content.buffer, content.byteOffset, content.byteLength) : undefined;
  const fill = <T extends Float32Array | Int32Array | Uint8Array>(
    out: T,
    list: ArrayLike<number> | undefined,
  ): T => {
    if (list && list.length) for (let i = 0; i < count; i++) out[i] = list[Math.min(i, list.length - 1)];
    return out;
  };
  const need = (bytes: number) => {
    if (view && view.byteLength !== count * bytes)
      throw new Error(`a constant holds ${view.byteLength} bytes for ${count} values of ${dt}`);
  };
  switch (dt) {
    case 'DT_FLOAT':
    case 'DT_DOUBLE':
    case 'DT_HALF': {
      const out = new Float32Array(count);
      if (view) {
        const b = dt === 'DT_FLOAT' ? 4 : dt === 'DT_DOUBLE' ? 8 : 2;
        need(b);
        for (let i = 0; i < count; i++)
          out[i] =
            b === 4
              ? view.getFloat32(4 * i, true)
              : b === 8
                ? view.getFloat64(8 * i, true)
                : half(view.getUint16(2 * i, true));
        checkFinite(out, 'the constant');
        return { dtype: 'float32', shape, values: out };
      }
      const list =
        dt === 'DT_FLOAT' ? t?.floatVal : dt === 'DT_DOUBLE' ? t?.doubleVal : t?.halfVal?.map(half);
      checkFinite(fill(out, list), 'the constant');
      return { dtype: 'float32', shape, values: out };
    }
    case 'DT_INT32':
    case 'DT_INT64':
    case 'DT_INT16':
    case 'DT_INT8':
    case 'DT_UINT8':
    case 'DT_UINT16': {
      const out = new Int32Array(count);
      if (view) {
        const b = { DT_INT32: 4, DT_INT64: 8, DT_INT16: 2, DT_INT8: 1, DT_UINT8: 1, DT_UINT16: 2 }[dt];
        need(b);
        for (let i = 0; i < count; i++)
          out[i] =
            dt === 'DT_INT32' || dt === 'DT_INT64'
              ? view.getInt32(b * i, true)
              : dt === 'DT_INT16'
                ? view.getInt16(2 * i, true)
                : dt === 'DT_UINT16'
                  ? view.getUint16(2 * i, true)
                  : dt === 'DT_INT8'
                    ? view.getInt8(i)
                    : view.getUint8(i);
        return { dtype: 'int32', shape, values: out };
      }
      return { dtype: 'int32', shape, values: fill(out, dt === 'DT_INT64' ? t?.int64Val : t?.intVal) };
    }
    case 'DT_BOOL': {
      const out = new Uint8Array(count);
      if (view) {
        need(1);
        for (let i = 0; i < count; i++) out[i] = view.getUint8(i) ? 1 : 0;
        return { dtype: 'bool', shape, values: out };
      }
      return {
        dtype: 'bool',
        shape,
        values: fill(
          out,
          t?.boolVal?.map((b) => (b ? 1 : 0)),
        ),
      };
    }
    default:
      throw new Error(`a constant of type ${dt}, which TensorFlow.js cannot hold`);
  }
}

/** IEEE half to number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** An AttrValue in the JSON form TensorFlow.js's graph loader reads (bytes as base64). */
/**
 * The nodes `from` depends on through data inputs (control inputs `^x` left out), itself included,
 * each once; `stopAt`'s inputs are not followed (the model body ends at its input).
 */
export function upstreamOf(
  byName: Map<string, NodeDefObj>,
  from: NodeDefObj,
  stopAt?: NodeDefObj,
): NodeDefObj[] {
  const out: NodeDefObj[] = [];
  const seen = new Set<string>();
  const stack = [from.name];
  while (stack.length) {
    const n = byName.get(stack.pop()!)!;
    if (seen.has(n.name)) continue;
    seen.add(n.name);
    out.push(n);
    if (n === stopAt) continue;
    for (const i of n.input ?? []) if (!i.startsWith('^')) stack.push(nodeName(i));
  }
  return out;
}

export function attrJson(a: AttrValueObj): Record<string, unknown> {
  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
  if (a.s !== undefined) return { s: b64(a.s) };
  if (a.list !== undefined) return { list: { ...a.list, s: a.list.s?.map(b64), tensor: undefined } };
  if (a.tensor !== undefined) return {}; // a Const's value becomes a weight; no other op here takes one
  return { ...a };
}

/** What the graph's front end is, in Wavebench's terms, with the ops it was read from. */
interface FrontEnd {
  /** The node whose output is the model's input (replaced by a placeholder). */
  fingerprint: NodeDefObj;
  metadata: Omit<ModelMetadata, 'name' | 'labels'>;
  /** The op chain with its parameters, for --describe. */
  description: string;
  /** 'image' when the fingerprint is [1, frames, bins, 1] (average pooling), else [frames, bins]. */
  layout: 'image' | 'sequence';
}

/** A path's model kind: a .pb file, or a folder holding exactly one candidate model file. */
export type ModelTarget = { kind: 'tfjs'; dir: string } | { kind: 'graphdef'; file: string; dir: string };

/** Model files a folder may hold (TF.js model.json, the seed's frozen .pb). */
const CANDIDATE = (f: string) => f === 'model.json' || /\.pb$/i.test(f);

/**
 * Resolves --model PATH: a `.pb` file is a GraphDef; a folder with exactly one candidate model file
 * is that file's kind; several candidates are one clear error; none leaves the TF.js loader to say
 * what is missing.
 */
export async function resolveModelTarget(path: string): Promise<ModelTarget> {
  if (/\.pb$/i.test(path)) return { kind: 'graphdef', file: path, dir: dirname(path) };
  if (basename(path) === 'model.json') return { kind: 'tfjs', dir: dirname(path) };
  let files: string[];
  try {
    files = (await readdir(path)).filter(CANDIDATE).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw new ModelError(path, 'is a file but not a model file (.pb, or a folder with model.json)');
    return { kind: 'tfjs', dir: path };
  }
  if (files.length > 1)
    throw new ModelError(
      path,
      `several candidate model files (${files.join(', ')}): keep one, or point --model at the file`,
    );
  if (files.length === 1 && files[0] !== 'model.json')
    return { kind: 'graphdef', file: join(path, files[0]), dir: path };
  return { kind: 'tfjs', dir: path };
}

/** Finds the labels file beside a .pb: <name>_labels.txt, labels.txt, or the only *_labels.txt. */
async function findLabels(file: string): Promise<string | undefined> {
  const dir = dirname(file);
  const stem = basename(file, extname(file));
  const txt = (await readdir(dir)).filter((f) => f === 'labels.txt' || /_labels\.txt$/.test(f)).sort();
  if (txt.includes(`${stem}_labels.txt`)) return join(dir, `${stem}_labels.txt`);
  if (txt.includes('labels.txt')) return join(dir, 'labels.txt');
  if (txt.length === 1) return join(dir, txt[0]);
  if (txt.length > 1)
    throw new ModelError(file, `several labels files beside it (${txt.join(', ')}): name one with --labels`);
  return undefined;
}

/** Reads the audio front end from the graph (the nodes reachable from the output). */
function readFrontEnd(
  file: string,
  byName: Map<string, NodeDefObj>,
  reach: NodeDefObj[],
): FrontEnd | undefined {
  const of = (op: string) => reach.filter((n) => n.op === op);
  const input = (n: NodeDefObj, i = 0) => byName.get(nodeName(n.input?.[i] ?? ''));
  const consumers = (n: NodeDefObj) =>
    reach.filter((c) => (c.input ?? []).some((i) => nodeName(i) === n.name));
  const decode = of('DecodeWav');
  if (!decode.length) return undefined;
  if (decode.length > 1) throw new ModelError(file, `the graph decodes audio ${decode.length} times`);
  const wav = decode[0];
  const desired = attrInt(wav, 'desired_samples', -1);
  if (desired <= 0)
    throw new ModelError(
      file,
      `DecodeWav (node ${wav.name}) has no desired_samples: the clip length is unknown`,
    );
  const micro = of('AudioMicrofrontend');
  const spec = of('AudioSpectrogram');
  if (micro.length) {
    const m = micro[0];
    if (
      attrInt(m, 'left_context', 0) ||
      attrInt(m, 'right_context', 0) ||
      attrInt(m, 'frame_stride', 1) !== 1
    )
      throw new ModelError(
        file,
        `AudioMicrofrontend (node ${m.name}) stacks context frames or strides, which Wavebench does not support`,
      );
    const rate = attrInt(m, 'sample_rate', MICRO_DEFAULTS.sampleRate);
    const outScale = checkInt(
      attrInt(m, 'out_scale', 1),
      1,
      65535,
      `AudioMicrofrontend (node ${m.name}): out_scale`,
    );
    // The seed scales the front end's output by 10/256 with a Mul by a scalar Const.
    let fingerprint = m;
    let scale = 1 / outScale;
    const next = consumers(m);
    if (next.length === 1 && next[0].op === 'Mul') {
      const other = next[0].input!.map((i) => byName.get(nodeName(i))).find((n) => n && n.name !== m.name);
      if (other?.op === 'Const') {
        const v = tensorValues(other.attr?.value?.tensor);
        if (v.values.length === 1) {
          fingerprint = next[0];
          scale = Math.fround(Math.fround(1 / outScale) * v.values[0]);
        }
      }
    }
    // The samples become int16 as the graph makes them: Cast(Mul(audio, C)), C = 32767 in freeze.py.
    let sampleScale = MICRO_SEED_SAMPLE_SCALE;
    const cast = byName.get(nodeName(m.input?.[0] ?? ''));
    const mul = cast?.op === 'Cast' ? byName.get(nodeName(cast.input?.[0] ?? '')) : undefined;
    if (mul?.op === 'Mul') {
      const k = mul.input!.map((i) => byName.get(nodeName(i))).find((n) => n?.op === 'Const');
      const v = k && tensorValues(k.attr?.value?.tensor);
      if (v && v.values.length === 1) sampleScale = v.values[0];
    }
    const p = {
      windowSizeMs: attrInt(m, 'window_size', MICRO_DEFAULTS.windowSizeMs),
      windowStepMs: attrInt(m, 'window_step', MICRO_DEFAULTS.windowStepMs),
      numChannels: attrInt(m, 'num_channels', MICRO_DEFAULTS.numChannels),
      upperBandLimit: attrFloat(m, 'upper_band_limit', MICRO_DEFAULTS.upperBandLimit),
      lowerBandLimit: attrFloat(m, 'lower_band_limit', MICRO_DEFAULTS.lowerBandLimit),
      smoothingBits: attrInt(m, 'smoothing_bits', MICRO_DEFAULTS.smoothingBits),
      evenSmoothing: attrFloat(m, 'even_smoothing', MICRO_DEFAULTS.evenSmoothing),
      oddSmoothing: attrFloat(m, 'odd_smoothing', MICRO_DEFAULTS.oddSmoothing),
      minSignalRemaining: attrFloat(m, 'min_signal_remaining', MICRO_DEFAULTS.minSignalRemaining),
      enablePcan: attrBool(m, 'enable_pcan', MICRO_DEFAULTS.enablePcan),
      pcanStrength: attrFloat(m, 'pcan_strength', MICRO_DEFAULTS.pcanStrength),
      pcanOffset: attrFloat(m, 'pcan_offset', MICRO_DEFAULTS.pcanOffset),
      gainBits: attrInt(m, 'gain_bits', MICRO_DEFAULTS.gainBits),
      enableLog: attrBool(m, 'enable_log', MICRO_DEFAULTS.enableLog),
      scaleShift: attrInt(m, 'scale_shift', MICRO_DEFAULTS.scaleShift),
    };
    return {
      fingerprint,
      layout: 'sequence',
      description:
        `DecodeWav(desired_samples=${desired}) -> int16 (x ${sampleScale}) -> AudioMicrofrontend(sample_rate=${rate}, ` +
        `window_size=${p.windowSizeMs} ms, window_step=${p.windowStepMs} ms, num_channels=${p.numChannels}, ` +
        `bands ${p.lowerBandLimit}-${p.upperBandLimit} Hz, pcan=${p.enablePcan}, log=${p.enableLog})` +
        (fingerprint !== m ? ` -> Mul ${scale}` : ''),
      metadata: {
        sampleRate: rate,
        clipDurationMs: (desired * 1000) / rate,
        windowSizeMs: p.windowSizeMs,
        windowStrideMs: p.windowStepMs,
        features: {
          type: 'micro',
          binCount: p.numChannels,
          lowerFrequencyHz: p.lowerBandLimit,
          upperFrequencyHz: p.upperBandLimit,
          filterbankChannels: p.numChannels,
          normalize: 'none',
          micro: {
            smoothingBits: p.smoothingBits,
            evenSmoothing: p.evenSmoothing,
            oddSmoothing: p.oddSmoothing,
            minSignalRemaining: p.minSignalRemaining,
            enablePcan: p.enablePcan,
            pcanStrength: p.pcanStrength,
            pcanOffset: p.pcanOffset,
            gainBits: p.gainBits,
            enableLog: p.enableLog,
            scaleShift: p.scaleShift,
            scale,
            sampleScale,
          },
        },
      },
    };
  }
  if (spec.length !== 1)
    throw new ModelError(file, 'the graph decodes audio but has no AudioSpectrogram or AudioMicrofrontend');
  const s = spec[0];
  // The seed's spectrogram comes from DecodeWav at speech_commands' 16 kHz (Mfcc takes the file's rate).
  const rate = 16000;
  const windowSize = attrInt(s, 'window_size', 0);
  const stride = attrInt(s, 'stride', 0);
  if (!attrBool(s, 'magnitude_squared', false))
    throw new ModelError(
      file,
      `AudioSpectrogram (node ${s.name}) has magnitude_squared false; Wavebench computes the power spectrogram`,
    );
  const base = {
    sampleRate: rate,
    clipDurationMs: (desired * 1000) / rate,
    windowSizeMs: (windowSize * 1000) / rate,
    windowStrideMs: (stride * 1000) / rate,
  };
  const specText = `DecodeWav(desired_samples=${desired}) -> AudioSpectrogram(window_size=${windowSize}, stride=${stride}, magnitude_squared)`;
  const mfcc = of('Mfcc');
  if (mfcc.length) {
    const m = mfcc[0];
    const f = {
      binCount: attrInt(m, 'dct_coefficient_count', 13),
      lowerFrequencyHz: attrFloat(m, 'lower_frequency_limit', 20),
      upperFrequencyHz: attrFloat(m, 'upper_frequency_limit', 4000),
      filterbankChannels: attrInt(m, 'filterbank_channel_count', 40),
    };
    return {
      fingerprint: m,
      layout: 'sequence',
      description:
        `${specText} -> Mfcc(dct_coefficient_count=${f.binCount}, filterbank_channel_count=${f.filterbankChannels}, ` +
        `${f.lowerFrequencyHz}-${f.upperFrequencyHz} Hz; sample rate from the file, 16000 assumed)`,
      metadata: { ...base, features: { type: 'mfcc', ...f, normalize: 'none' } },
    };
  }
  const pool = of('AvgPool').find((p) => input(p)?.op === 'ExpandDims' && input(input(p)!)?.name === s.name);
  if (pool) {
    const k = attrInts(pool, 'ksize');
    const st = attrInts(pool, 'strides');
    const width = k[2];
    const fftBins = 2 ** Math.ceil(Math.log2(windowSize)) / 2 + 1;
    // The 'average' feature type pools by floor(bins / binCount): find the binCount giving this width.
    let binCount = 0;
    for (let b = Math.floor(fftBins / width); b >= 1 && b <= fftBins; b++) {
      if (Math.floor(fftBins / b) === width) {
        binCount = b;
        break;
      }
      if (Math.floor(fftBins / b) < width) break;
    }
    if (
      k.length !== 4 ||
      k[0] !== 1 ||
      k[1] !== 1 ||
      k[3] !== 1 ||
      st.join() !== k.join() ||
      attrString(pool, 'padding') !== 'SAME' ||
      !binCount
    )
      throw new ModelError(
        file,
        `AvgPool (node ${pool.name}) over the spectrogram is not the seed's average pooling (ksize ${k}, strides ${st}, padding ${attrString(pool, 'padding')})`,
      );
    return {
      fingerprint: pool,
      layout: 'image',
      description: `${specText} -> ExpandDims -> AvgPool(width ${width}, SAME) = ${Math.ceil(fftBins / width)} bins`,
      metadata: {
        ...base,
        features: {
          type: 'average',
          binCount,
          lowerFrequencyHz: 20,
          upperFrequencyHz: 4000,
          filterbankChannels: 40,
          normalize: 'none',
        },
      },
    };
  }
  return {
    fingerprint: s,
    layout: 'sequence',
    description: `${specText} (power spectrogram)`,
    metadata: {
      ...base,
      features: {
        type: 'spectrogram',
        binCount: 2 ** Math.ceil(Math.log2(windowSize)) / 2 + 1,
        lowerFrequencyHz: 20,
        upperFrequencyHz: 4000,
        filterbankChannels: 40,
        normalize: 'none',
      },
    },
  };
}

/** A GraphDef read and analysed: what the TF.js side needs to build the model body. */
export interface GraphDefRead {
  bytes: Buffer;
  byName: Map<string, NodeDefObj>;
  output: NodeDefObj;
  /** The fingerprint node (replaced by the model's input) or the graph's own placeholder. */
  inputNode: NodeDefObj;
  metadata: ModelMetadata;
  layout: 'image' | 'sequence' | 'flat';
  frontEnd: string;
}

/**
 * Reads a frozen GraphDef and its labels, and maps its front end onto Wavebench's features (no
 * TF.js here: the extension host uses it for the editor's "what the model sees" view).
 */
export async function readGraphDef(file: string, options: GraphDefLoadOptions = {}): Promise<GraphDefRead> {
  try {
    return await read(file, options);
  } catch (e) {
    if (e instanceof ModelLimitError) throw new ModelError(file, e.message);
    throw e;
  }
}

async function read(file: string, options: GraphDefLoadOptions): Promise<GraphDefRead> {
  const bytes = await readNamedFile(file, MODEL_FILE_LIMITS.weights, 'no such file');
  let nodes: NodeDefObj[];
  try {
    nodes = decodeGraphDef(bytes).node ?? [];
  } catch (e) {
    throw new ModelError(
      file,
      `not a valid GraphDef: truncated or corrupt protobuf (${(e as Error).message})`,
    );
  }
  checkCount(nodes.length, 'graph nodes');
  if (!nodes.length || nodes.some((n) => !n.name || !n.op))
    throw new ModelError(file, 'not a GraphDef: no nodes (or nodes without a name or op)');
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes)
    for (const i of n.input ?? [])
      if (!byName.has(nodeName(i)))
        throw new ModelError(file, `node ${n.name} reads ${nodeName(i)}, which the graph does not have`);

  // The output: labels_softmax (freeze.py's name), else the one sink, else the one Softmax sink.
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map(nodeName)));
  const sinks = nodes.filter((n) => !consumed.has(n.name) && !NOT_OUTPUTS.has(n.op));
  const output =
    byName.get('labels_softmax') ??
    (sinks.length === 1 ? sinks[0] : undefined) ??
    (sinks.filter((n) => n.op === 'Softmax').length === 1
      ? sinks.find((n) => n.op === 'Softmax')
      : undefined);
  if (!output)
    throw new ModelError(
      file,
      sinks.length
        ? `several possible outputs (${sinks.map((n) => n.name).join(', ')}) and none is labels_softmax`
        : 'the graph has no output node',
    );
  const reach = upstreamOf(byName, output);

  const fe = readFrontEnd(file, byName, reach);
  const dir = dirname(file);
  const name = basename(file, extname(file));
  let labels: string[] | undefined;
  try {
    const labelsFile = options.labelsFile ?? (await findLabels(file));
    if (labelsFile) {
      const text = (
        await readNamedFile(labelsFile, MODEL_FILE_LIMITS.metadata, 'no such labels file')
      ).toString('utf8');
      labels = metadataFromLabels(name, text).labels;
    }
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(file, (e as MetadataError).message);
  }
  let metadata: ModelMetadata;
  let layout: 'image' | 'sequence' | 'flat';
  let inputNode: NodeDefObj;
  let frontEnd: string;
  if (fe) {
    if (!labels)
      labels = await loadMetadata(dir).then(
        (m) => m.labels,
        () => undefined,
      );
    if (!labels)
      throw new ModelError(
        file,
        'no labels: give --labels FILE or put labels.txt (or NAME_labels.txt) beside it',
      );
    metadata = { name, labels, ...fe.metadata };
    // The graph's attributes within the limits metadata.json has (desired_samples 2e9, 1e6 DCT
    // coefficients, rate 1e9 were read as they were and sized buffers of gigabytes).
    checkFrontEnd(metadata, "the graph's front end");
    layout = fe.layout;
    inputNode = fe.fingerprint;
    frontEnd = `read from the graph: ${fe.description}`;
  } else {
    // A graph whose input is already a fingerprint: the features come from metadata.json.
    const placeholders = reach.filter((n) => n.op === 'Placeholder');
    if (placeholders.length !== 1)
      throw new ModelError(
        file,
        `the graph has ${placeholders.length} inputs; Wavebench feeds one (the features)`,
      );
    let md: ModelMetadata;
    try {
      md = await loadMetadata(dir);
    } catch (e) {
      throw new ModelError(
        file,
        `the graph has no audio front end (its input ${placeholders[0].name} is already a fingerprint), so it needs a metadata.json beside it (${(e as ModelError).problem ?? (e as Error).message})`,
      );
    }
    metadata = labels ? { ...md, labels } : md;
    inputNode = placeholders[0];
    const dims = (inputNode.attr?.shape?.shape?.dim ?? []).length;
    layout = dims === 4 ? 'image' : dims === 3 ? 'sequence' : 'flat';
    frontEnd = `from metadata.json (the graph's input ${inputNode.name} is the fingerprint)`;
  }
  return { bytes, byName, output, inputNode, metadata, layout, frontEnd };
}

/** A model's metadata whatever its format (TF.js folder or GraphDef), without loading TF.js. */
export async function loadModelMetadata(
  path: string,
  options: GraphDefLoadOptions = {},
): Promise<ModelMetadata> {
  const target = await resolveModelTarget(path);
  return target.kind === 'graphdef'
    ? (await readGraphDef(target.file, options)).metadata
    : loadMetadata(target.dir);
}
