import { clipSamples, type ModelMetadata } from './metadata';
import { inputShapeOf } from './inputLayout';
import type { ModelPackage } from './modelPackage';

/** What was read from a model: `wavebench models --describe PATH`. */
export interface ModelDescription {
  path: string;
  name: string;
  format: ModelPackage['format'];
  /** The features the model is fed, with their parameters. */
  features: Record<string, unknown>;
  /** Where the front end came from (the graph's op chain, or metadata.json). */
  frontEnd: string;
  /** The front end in words, with the model's window (frontEndSummary). */
  summary: string;
  /** The model's input: [batch, ...]. */
  inputShape: (number | string)[];
  labels: string[];
  ops: string[];
  hash: string;
  /** Keras-config models: run natively (lowered to ONNX) or why they stay on TF.js. */
  backend?: string;
}

/** Collects the description of a loaded model. */
export function describeModel(path: string, m: ModelPackage): ModelDescription {
  const md = m.metadata;
  const f = md.features;
  // stft, melspectrogram and waveform state their frames in samples: their ms fields are derived.
  const inSamples = f.type === 'stft' || f.type === 'melspectrogram' || f.type === 'waveform';
  const features: Record<string, unknown> = {
    type: f.type,
    sampleRate: md.sampleRate,
    clipSamples: clipSamples(md),
    ...(!inSamples && { windowSizeMs: md.windowSizeMs, windowStrideMs: md.windowStrideMs }),
    frames: m.frames,
    bins: m.bins,
  };
  if (f.type === 'stft') {
    const [frameLength, frameStep] = stftFrame(md);
    Object.assign(features, { frameLength, frameStep, fftLength: f.fftLength ?? nextPow2(frameLength) });
  }
  if (f.type === 'melspectrogram' && f.mel) {
    const mel: Partial<typeof f.mel> = { ...f.mel };
    delete mel.sampleRate;
    Object.assign(features, mel);
  }
  if (f.type === 'mfcc' || f.type === 'logmel') {
    Object.assign(features, {
      lowerFrequencyHz: f.lowerFrequencyHz,
      upperFrequencyHz: f.upperFrequencyHz,
      filterbankChannels: f.filterbankChannels,
    });
  }
  if (f.type === 'average') features.averagedFrom = 'power spectrogram bins';
  if (f.type === 'micro') {
    // The graph's float attributes are float32: shown at float32 precision (0.025, not 0.0250000004).
    const short = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(7)) : v);
    const micro = Object.entries(f.micro ?? {}).map(([k, v]) => [k, short(v)]);
    Object.assign(features, {
      lowerBandLimitHz: f.lowerFrequencyHz,
      upperBandLimitHz: f.upperFrequencyHz,
      ...Object.fromEntries(micro),
    });
  }
  if (f.normalize !== 'none') features.normalize = f.normalize;
  const inputShape: (number | string)[] = [
    'batch',
    ...inputShapeOf(m.inputLayout, 1, m.frames, m.bins).slice(1),
  ];
  return {
    path,
    name: md.name,
    format: m.format,
    features,
    frontEnd: m.frontEnd ?? 'from metadata.json (or labels.txt with the speech_commands defaults)',
    summary: frontEndSummary(md),
    inputShape,
    labels: md.labels,
    ops: m.ops ?? [],
    hash: m.hash,
    ...(m.lowering && { backend: m.lowering }),
  };
}

const FORMAT_NAMES: Record<string, string> = {
  graphdef: 'TensorFlow frozen GraphDef (.pb)',
  'graph-model': 'TensorFlow.js graph model',
  'layers-model': 'TensorFlow.js layers model',
  onnx: 'ONNX (run by onnxruntime)',
};

/** The description as text, one fact a line. */
export function formatDescription(d: ModelDescription): string {
  const params = Object.entries(d.features)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `${d.path}`,
    `  format:     ${FORMAT_NAMES[d.format] ?? d.format}`,
    `  name:       ${d.name}`,
    `  front end:  ${d.features.type} (${params})`,
    `              ${d.summary}`,
    `              ${d.frontEnd}`,
    `  input:      [${d.inputShape.join(', ')}]`,
    `  labels:     ${d.labels.length}: ${d.labels.join(', ')}`,
    `  ops:        ${d.ops.join(', ') || '-'}`,
    ...(d.backend ? [`  backend:    ${d.backend}`] : []),
    `  hash:       ${d.hash}`,
  ].join('\n');
}

/** The smallest power of two >= n. */
function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** An stft model's frame length and step in samples (given, or from the ms fields). */
function stftFrame(md: ModelMetadata): [number, number] {
  const ms = (v: number) => Math.round((md.sampleRate * v) / 1000);
  return [md.features.frameLength ?? ms(md.windowSizeMs), md.features.frameStep ?? ms(md.windowStrideMs)];
}

/**
 * The front end in words, for `models --describe` and the editor's "what the model sees" caption:
 * what is computed, from what frames, over which window (the model's clip, clipDurationMs).
 */
export function frontEndSummary(md: ModelMetadata): string {
  const f = md.features;
  const n = (v: number) => Number(v.toPrecision(6));
  const frames = `${n(md.windowSizeMs)} ms frames every ${n(md.windowStrideMs)} ms`;
  const band = `${n(f.lowerFrequencyHz)}-${n(f.upperFrequencyHz)} Hz`;
  const window = `of each ${n(md.clipDurationMs)} ms window at ${md.sampleRate} Hz`;
  switch (f.type) {
    case 'mfcc':
      return `${f.binCount} MFCCs (TensorFlow Mfcc) from ${f.filterbankChannels} mel bands, ${band}, ${frames}, ${window}`;
    case 'logmel':
      return `${f.binCount} log-mel bands (TensorFlow's filterbank), ${band}, ${frames}, ${window}`;
    case 'spectrogram':
      return `power spectrogram (TensorFlow AudioSpectrogram), ${frames}, ${window}`;
    case 'average': {
      // averagePool's groups: floor(spectrogram bins / binCount) bins each (the last group shorter).
      const bins = nextPow2(Math.round((md.sampleRate * md.windowSizeMs) / 1000)) / 2 + 1;
      const group = Math.max(1, Math.floor(bins / f.binCount));
      return `power spectrogram averaged in groups of ${group} bins (${Math.ceil(bins / group)}), ${frames}, ${window}`;
    }
    case 'micro':
      return `TF Lite Micro front end, ${f.binCount} channels, ${band}, ${frames}, ${window}`;
    case 'stft': {
      const [len, step] = stftFrame(md);
      return `|STFT| (tf.signal.stft), ${len}-sample frames every ${step}, FFT ${f.fftLength ?? nextPow2(len)}, ${window}`;
    }
    case 'melspectrogram': {
      const p = f.mel!;
      const log =
        p.log === 'log'
          ? `ln(mel + ${p.logOffset})`
          : p.log === 'db'
            ? `dB${p.topDb !== undefined ? `, top ${p.topDb} dB` : ''}`
            : 'linear';
      return (
        `${p.nMels}-band mel spectrogram (torchaudio/librosa), ${p.melScale} scale, norm ${p.norm}, ` +
        `${n(p.fMin)}-${n(p.fMax)} Hz, |DFT|^${p.power} of ${p.winLength}-sample windows in ${p.nFft}-point frames ` +
        `every ${p.hopLength}${p.center ? `, centred (${p.padMode} padding)` : ''}, ${log}, ${window}`
      );
    }
    case 'waveform':
      return `the samples (float in [-1, 1]) ${window}`;
  }
}
