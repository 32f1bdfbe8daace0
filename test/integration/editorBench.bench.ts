// Benchmark (not a test; run by bench/editor/run.mjs): time from "open this WAV" to the Wavebench
// editor painted (facts, waveform, spectrogram, model input) and to its predictions painted, on 1-s
// clips with a warm worker pool, side by side with VS Code's own text editor opening the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WavebenchApi } from '../../src/extension';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite('editor benchmark', function () {
  this.timeout(600_000);
  test('open -> painted', async () => {
    const api = await vscode.extensions.getExtension<WavebenchApi>('wavebench.wavebench')!.activate();
    const rec = api.recorder();
    const clips = (await vscode.workspace.findFiles('digits/**/*.wav')).filter(
      (u) => !u.fsPath.includes('_silence_'),
    );
    const runs = Number(process.env.WAVEBENCH_BENCH_RUNS ?? 20);
    const rows: Record<string, number | string>[] = [];
    const wait = async (pred: () => boolean) => {
      const end = Date.now() + 60_000;
      while (!pred()) {
        if (Date.now() > end) throw new Error('timeout');
        await sleep(2);
      }
    };
    for (let i = 0; i <= runs && i < clips.length; i++) {
      const uri = clips[i];
      const key = uri.toString();
      const t0 = performance.now();
      const since = () => rec.messages().filter((m) => m.panel === 'editor' && m.uri === key && m.at >= t0);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'wavebench.wav');
      let tInit = 0;
      await wait(() => {
        const fresh = since().filter((m) => m.dir === 'in' && m.type === 'painted');
        if (!tInit && fresh.some((m) => m.what === 'init')) tInit = performance.now();
        return fresh.some((m) => m.what === 'predictions');
      });
      const tPred = performance.now();
      // Baseline 2: an empty webview panel whose one script posts a message: VS Code's own webview start-up.
      const e0 = performance.now();
      const panel = vscode.window.createWebviewPanel(
        'wavebench.benchEmpty',
        'empty',
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
        },
      );
      let emptyReady = 0;
      panel.webview.onDidReceiveMessage(() => (emptyReady = performance.now()));
      panel.webview.html =
        `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-x'"></head>` +
        `<body><script nonce="x">acquireVsCodeApi().postMessage('ready')</script></body></html>`;
      await wait(() => emptyReady > 0);
      panel.dispose();
      const emptyWebviewMs = emptyReady - e0;
      const mine = since().filter((m) => m.dir === 'in');
      const sent = since().filter((m) => m.dir === 'out');
      const phase = {
        readyMs: (mine.find((m) => m.type === 'ready')?.at ?? NaN) - t0,
        initSentMs: (sent.find((m) => m.type === 'init')?.at ?? NaN) - t0,
        predictionsSentMs: (sent.find((m) => m.type === 'predictions')?.at ?? NaN) - t0,
      };
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // Baseline: the same file in VS Code's default editor (binary-file placeholder), until it is the active tab.
      const b0 = performance.now();
      await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
      await wait(() => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputText && input.uri.toString() === key;
      });
      const b1 = performance.now();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // The first run warms the worker pool (model load): reported apart.
      rows.push({
        file: path.basename(uri.fsPath),
        initMs: tInit - t0,
        predictionsMs: tPred - t0,
        defaultEditorMs: b1 - b0,
        emptyWebviewMs,
        ...phase,
      });
    }
    const out = process.env.WAVEBENCH_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify({ vscode: vscode.version, rows }, null, 1));
  });
});
