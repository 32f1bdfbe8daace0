// The bundled-model registry: how a model argument resolves, and what `wavebench models` lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLED_MODELS,
  DEFAULT_MODEL,
  bundledModelDir,
  listBundledModels,
  resolveModelArg,
} from '../../../src/model/bundled';
import { loadModelPackage } from '../../../src/model/modelPackage';

const ROOT = join(__dirname, '../../..');

test('resolveModelArg: nothing is the default, a bundled name its folder, anything else a path', () => {
  assert.equal(resolveModelArg('/opt/wb', undefined), join('/opt/wb/models', DEFAULT_MODEL));
  assert.equal(resolveModelArg('/opt/wb', ''), join('/opt/wb/models', DEFAULT_MODEL));
  assert.equal(resolveModelArg('/opt/wb', 'digits'), '/opt/wb/models/digits');
  assert.equal(resolveModelArg('/opt/wb', 'speech-commands'), '/opt/wb/models/speech-commands');
  // a local folder named like a bundled model is reached with a path
  assert.equal(resolveModelArg('/opt/wb', './digits', '/home/me'), '/home/me/digits');
  assert.equal(resolveModelArg('/opt/wb', 'my-model', '/home/me'), '/home/me/my-model');
  assert.equal(resolveModelArg('/opt/wb', '/models/x'), '/models/x');
  assert.equal(bundledModelDir('/r', 'digits'), '/r/models/digits');
});

test('listBundledModels: every bundled model of the repository has its labels, size and test figures', async () => {
  const list = await listBundledModels(ROOT);
  assert.deepEqual(
    list.map((m) => m.name),
    BUNDLED_MODELS.map((m) => m.name),
  );
  assert.equal(list.filter((m) => m.isDefault).length, 1);
  for (const m of list) {
    assert.equal(m.error, undefined, `${m.name}: ${m.error}`);
    const meta = JSON.parse(readFileSync(join(ROOT, 'models', m.name, 'metadata.json'), 'utf8'));
    assert.deepEqual(m.labels, meta.labels);
    assert.ok(m.bytes! > 10_000, `${m.name}: ${m.bytes} bytes`);
    const ev = JSON.parse(readFileSync(join(ROOT, 'models', m.name, 'evaluation.json'), 'utf8'));
    assert.equal(m.evaluation?.accuracy, ev.accuracy);
    assert.equal(m.evaluation?.clips, ev.clips);
  }
});

test("each bundled model's test figures belong to its shipped weights and agree with its confusion matrix and card", async () => {
  for (const name of ['speech-commands', 'digits']) {
    const dir = join(ROOT, 'models', name);
    const ev = JSON.parse(readFileSync(join(dir, 'evaluation.json'), 'utf8'));
    // training/evaluate.mjs --write records the hash of the model its classify run loaded
    const m = await loadModelPackage(dir);
    m.dispose();
    assert.equal(ev.modelHash, m.hash, `${name}: evaluation.json was made with another model`);
    const conf: number[][] = ev.confusion;
    const total = conf.flat().reduce((a, b) => a + b, 0);
    const correct = conf.reduce((a, row, i) => a + row[i], 0);
    assert.equal(total, ev.clips, name);
    assert.equal(ev.accuracy, Number((correct / total).toFixed(4)), name);
    ev.labels.forEach((label: string, i: number) => {
      const support = conf[i].reduce((a, b) => a + b, 0);
      if (support)
        assert.equal(ev.recall[label], Number((conf[i][i] / support).toFixed(4)), `${name} ${label}`);
    });
    // the card quotes the same headline figure
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    const pct = `${(100 * ev.accuracy).toFixed(1)}% top-1** (${correct}/${total})`;
    assert.ok(card.includes(pct), `${name}: the card does not quote ${pct}`);
  }
});

test('listBundledModels: a missing model folder is listed as not installed; figures are optional', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wb-bundled-'));
  const dir = join(root, 'models', 'digits');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ labels: ['a', 'b'] }));
  writeFileSync(join(dir, 'evaluation.json'), '{"data": 3}');
  const list = await listBundledModels(root);
  const d = list.find((m) => m.name === 'digits')!;
  assert.deepEqual([d.labels, d.error, d.evaluation], [['a', 'b'], undefined, undefined]);
  assert.equal(list.find((m) => m.name === 'speech-commands')!.error, 'not installed');
});
