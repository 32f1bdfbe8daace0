// Run only by test/vscode/vsix.mjs (WAVEBENCH_TEST_FILES=vsix.test.js): the packed VSIX is installed
// into a fresh extensions dir, and no extensionDevelopmentPath points at the repo.
import * as assert from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

suite('installed VSIX', () => {
  test('wavebench.wavebench is the installed copy, not the dev tree, and opens a WAV', async function () {
    this.timeout(120_000);
    const extDir = process.env.WAVEBENCH_VSIX_EXTENSIONS_DIR;
    assert.ok(extDir, 'WAVEBENCH_VSIX_EXTENSIONS_DIR is not set: run through test/vscode/vsix.mjs');
    const ext = vscode.extensions.getExtension('wavebench.wavebench');
    assert.ok(ext, 'extension wavebench.wavebench not installed');
    const rel = path.relative(path.resolve(extDir!), path.resolve(ext.extensionPath));
    assert.ok(
      rel && !rel.startsWith('..') && !path.isAbsolute(rel),
      `${ext.extensionPath} is not under ${extDir}`,
    );
    console.log(`[wavebench-tests] installed extension at ${ext.extensionPath}`);
    const api = (await ext.activate()) as {
      recorder: () => { find: (m: Record<string, string>) => unknown };
    };
    // An installed extension runs in production mode: the test turns the recorder on before opening.
    const rec = api.recorder();
    assert.strictEqual(ext.isActive, true);
    // The packed product opens a sample clip: its editor paints, with the bundled model's predictions.
    const clips = await vscode.workspace.findFiles('**/*.wav', undefined, 1);
    assert.ok(clips.length, 'no WAV in the workspace');
    const key = clips[0].toString();
    await vscode.commands.executeCommand('vscode.openWith', clips[0], 'wavebench.wav');
    const end = Date.now() + 90_000;
    while (!rec.find({ panel: 'editor', dir: 'in', uri: key, type: 'painted', what: 'predictions' })) {
      assert.ok(Date.now() < end, 'the installed editor never painted its predictions');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test("an ONNX model classifies through the installed copy's own onnxruntime-node (linux-x64 binary only)", async function () {
    this.timeout(180_000);
    const model = process.env.WAVEBENCH_VSIX_ONNX_MODEL;
    const clips = process.env.WAVEBENCH_VSIX_ONNX_CLIPS;
    assert.ok(model && clips, 'WAVEBENCH_VSIX_ONNX_MODEL/CLIPS not set: run through test/vscode/vsix.mjs');
    const ext = vscode.extensions.getExtension('wavebench.wavebench');
    assert.ok(ext);
    // The package holds onnxruntime-node beside dist/onnxChild.js, with this platform's binary alone.
    const bin = path.join(ext.extensionPath, 'dist', 'node_modules', 'onnxruntime-node', 'bin');
    const napi = readdirSync(bin);
    assert.strictEqual(napi.length, 1, `${napi}`);
    assert.deepStrictEqual(readdirSync(path.join(bin, napi[0])), ['linux']);
    assert.deepStrictEqual(readdirSync(path.join(bin, napi[0], 'linux')), ['x64']);
    assert.ok(existsSync(path.join(bin, napi[0], 'linux', 'x64', 'onnxruntime_binding.node')));
    const ref = JSON.parse(readFileSync(path.join(model!, 'reference.json'), 'utf8')) as {
      clips: string[];
      probabilities: number[][];
    };
    const settings = vscode.workspace.getConfiguration('wavebench');
    await settings.update('modelPath', model, vscode.ConfigurationTarget.Global);
    try {
      const report = await vscode.commands.executeCommand<
        | {
            engine?: { backend: string };
            rows: { path: string; error: string | null; topK: { label: string; probability: number }[] }[];
          }
        | undefined
      >(
        'wavebench.classifyFolder',
        undefined,
        ref.clips.map((c) => vscode.Uri.file(path.join(clips!, c))),
      );
      assert.ok(report, 'classifyFolder gave no report');
      assert.match(report.engine?.backend ?? '', /^onnxruntime \(native/);
      assert.strictEqual(report.rows.length, ref.clips.length);
      const labels = (
        JSON.parse(readFileSync(path.join(model!, 'metadata.json'), 'utf8')) as { labels: string[] }
      ).labels;
      let worst = 0;
      for (const row of report.rows) {
        assert.ok(!row.error, row.error ?? '');
        const want = ref.probabilities[ref.clips.indexOf(path.basename(row.path))];
        assert.ok(want && row.topK.length, row.path);
        // The report keeps each clip's top labels: the reference's best first, each its probability.
        assert.strictEqual(labels.indexOf(row.topK[0].label), want.indexOf(Math.max(...want)), row.path);
        for (const t of row.topK)
          worst = Math.max(worst, Math.abs(t.probability - want[labels.indexOf(t.label)]));
      }
      // onnxruntime-python's probabilities (test/fixtures/onnx/make_onnx.py), as onnx.test.ts holds them.
      assert.ok(worst < 1e-4, `largest difference ${worst}`);
      console.log(
        `[wavebench-tests] ONNX from the installed VSIX: ${report.engine!.backend}, worst ${worst}`,
      );
    } finally {
      await settings.update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
