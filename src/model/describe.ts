import { clipSamples } from './metadata';
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
  /** The model's input: [batch, ...]. */
  inputShape: (number | string)[];
  labels: string[];
  ops: string[];
  hash: string;
}

/** Collects the description of a loaded model. */
export function describeModel(path: string, m: ModelPackage): ModelDescription {
  const md = m.metadata;
  const f = md.features;
  const features: Record<string, unknown> = {
    type: f.type,
    sampleRate: md.sampleRate,
    clipSamples: clipSamples(md),
    windowSizeMs: md.windowSizeMs,
    windowStrideMs: md.windowStrideMs,
    frames: m.frames,
    bins: m.bins,
  };
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
    inputShape,
    labels: md.labels,
    ops: m.ops ?? [],
    hash: m.hash,
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
    `              ${d.frontEnd}`,
    `  input:      [${d.inputShape.join(', ')}]`,
    `  labels:     ${d.labels.length}: ${d.labels.join(', ')}`,
    `  ops:        ${d.ops.join(', ') || '-'}`,
    `  hash:       ${d.hash}`,
  ].join('\n');
}
