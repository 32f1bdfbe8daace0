// Manual check (bench, not in the suite): a long file opens. WAVEBENCH_LONG_WAV names the file; the
// timings of the first paint and the predictions are written to WAVEBENCH_BENCH_OUT.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { WavebenchApi } from '../../src/extension';
import { screenshot } from './screenshot';

suite('long file', function () {
  this.timeout(900_000);
  test('opens, paints, then predicts', async () => {
    const api = await vscode.extensions.getExtension<WavebenchApi>('wavebench.wavebench')!.activate();
    const rec = api.recorder();
    const uri = vscode.Uri.file(process.env.WAVEBENCH_LONG_WAV!);
    const key = uri.toString();
    const t0 = performance.now();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'wavebench.wav');
    const times: Record<string, number> = {};
    while (!times.predictions && performance.now() - t0 < 850_000) {
      for (const m of rec.messages().filter((x) => x.panel === 'editor' && x.uri === key)) {
        if (m.dir === 'in' && m.type === 'painted' && m.what) times[m.what] ??= m.at - t0;
        if (m.dir === 'out') times[`sent:${m.type}`] ??= m.at - t0;
      }
      if (times.init && !times.shot) {
        times.shot = 1;
        await screenshot('long-file');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    fs.writeFileSync(process.env.WAVEBENCH_BENCH_OUT!, JSON.stringify(times, null, 1));
    if (times.init) await screenshot('long-file-predicted');
  });
});
