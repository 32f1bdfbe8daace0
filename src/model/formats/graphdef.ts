/**
 * The seed's frozen GraphDef on TensorFlow.js: graphdefRead.ts reads the graph and its front end;
 * here everything after the front end becomes a TF.js graph model (the GraphDef's nodes in the JSON
 * form tfjs-converter writes, Const nodes as weights), run by TF.js's graph executor.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describeEmbedding, flatRows, penultimateNode, type EmbedFn, type GraphNodeLike } from '../embedding';
import { ModelError } from '../metadata';
import { featureShape, inputShapeOf } from '../inputLayout';
import { oneAtATime, trialPredict } from '../trial';
import type { ModelPackage } from '../package';
import {
  AUDIO_OPS,
  attrJson,
  readGraphDef,
  tensorValues,
  upstreamOf,
  type GraphDefLoadOptions,
} from './graphdefRead';
import { withDefaultAttrs } from './graphdefDefaults';

export { resolveModelTarget } from './graphdefRead';

/** Loads a frozen GraphDef: front end from the graph, the rest on TF.js. */
export async function loadGraphDefPackage(
  file: string,
  options: GraphDefLoadOptions = {},
): Promise<ModelPackage & { frontEnd: string }> {
  const { bytes, byName, output, inputNode, metadata, layout, frontEnd } = await readGraphDef(file, options);
  const { frames, bins } = await featureShape(metadata);
  const shapeOf = (n: number) => inputShapeOf(layout, n, frames, bins);

  // The model body: what the output needs, down to the fingerprint (which becomes the input).
  const body = upstreamOf(byName, output, inputNode);
  for (const n of body)
    if (n !== inputNode && (AUDIO_OPS.has(n.op) || n.op === 'Placeholder'))
      throw new ModelError(file, `${n.op} (node ${n.name}) feeds the model apart from its front end`);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  const jsonNodes: Record<string, unknown>[] = [];
  const ops = new Set<string>();
  for (const n of body.reverse()) {
    if (n === inputNode) {
      jsonNodes.push({
        name: n.name,
        op: 'Placeholder',
        attr: {
          dtype: { type: 'DT_FLOAT' },
          shape: { shape: { dim: shapeOf(-1).map((size) => ({ size })) } },
        },
      });
      continue;
    }
    ops.add(n.op);
    const attr: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(withDefaultAttrs(n))) attr[k] = attrJson(v);
    if (n.op === 'Const') {
      let v: ReturnType<typeof tensorValues>;
      try {
        v = tensorValues(n.attr?.value?.tensor);
      } catch (e) {
        throw new ModelError(file, `Const (node ${n.name}): ${(e as Error).message}`);
      }
      weightSpecs.push({ name: n.name, shape: v.shape, dtype: v.dtype });
      buffers.push(new Uint8Array(v.values.buffer, v.values.byteOffset, v.values.byteLength));
      delete attr.value;
    }
    jsonNodes.push({
      name: n.name,
      op: n.op,
      input: (n.input ?? []).filter((i) => !i.startsWith('^')),
      attr,
    });
  }
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    weightData.set(b, at);
    at += b.byteLength;
  }

  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: {
          node: jsonNodes,
          versions: { producer: 0 },
        } as unknown as tf.io.ModelArtifacts['modelTopology'],
        format: 'graph-model',
        weightSpecs,
        weightData: weightData.buffer,
      }),
    );
  } catch (e) {
    throw new ModelError(file, `TensorFlow.js cannot load the graph (${(e as Error).message})`);
  }
  let oneByOne = false;
  let run = (x: tf.Tensor) => model.execute({ [inputNode.name]: x }, output.name) as tf.Tensor;
  // A trial prediction on two windows: unsupported ops show here; one row of finite probabilities
  // per window (a graph reshaping to a fixed fingerprint size gives two rows per clip otherwise).
  let problem: string | undefined;
  try {
    const trial = await trialPredict(run, shapeOf, metadata.labels.length);
    problem = trial.problem;
    if (trial.oneAtATime) {
      run = oneAtATime(run);
      oneByOne = true;
    }
  } catch (e) {
    model.dispose();
    const msg = (e as Error).message;
    const unknown = /Unknown op '([^']+)'/.exec(msg);
    if (unknown) {
      const where = body.filter((n) => n.op === unknown[1]).map((n) => n.name);
      throw new ModelError(
        file,
        `unsupported op ${unknown[1]} (node ${where.join(', ')}): TensorFlow.js cannot run it`,
      );
    }
    throw new ModelError(file, `TensorFlow.js cannot run the graph (${msg.split('\n')[0]})`);
  }
  if (problem) {
    model.dispose();
    const node = `(node ${output.name})`;
    const text = /^the model outputs/.test(problem)
      ? problem.replace(/^the model outputs (\d+) values/, `the graph outputs $1 values ${node}`)
      : `${problem.replace(/^the model/, 'the graph')} ${node}`;
    throw new ModelError(file, text);
  }
  // Embeddings (review): the penultimate node's output in the same run, for graphs that take a batch.
  const emb = oneByOne ? undefined : penultimateNode(jsonNodes as unknown as GraphNodeLike[], output.name);
  const embed: EmbedFn | undefined =
    emb === undefined
      ? undefined
      : (x) =>
          tf.tidy(() => {
            const [o, e] = model.execute({ [inputNode.name]: x.reshape(shapeOf(x.shape[0])) }, [
              output.name,
              emb,
            ]) as tf.Tensor[];
            return { output: o, embedding: flatRows(e) };
          });
  const hash = createHash('sha256').update(bytes).update(JSON.stringify(metadata)).digest('hex');
  return {
    dir: resolve(file),
    metadata,
    format: 'graphdef',
    inputLayout: layout,
    frames,
    bins,
    hash,
    ops: [...ops].sort(),
    frontEnd,
    predict: (x) => tf.tidy(() => run(x.reshape(shapeOf(x.shape[0])))),
    ...(embed && { embed, embeddingSource: describeEmbedding(`node ${emb}`, embed, shapeOf(1)) }),
    dispose: () => model.dispose(),
  };
}
