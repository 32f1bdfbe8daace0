// `wavebench spectrogram --output_png`: every pixel checked against the features' values and the
// colormap, not only the picture's size (an all-black or flipped image fails). The values come from
// `features --type spectrogram|mfcc --json` on the same clip (checked against TensorFlow elsewhere);
// the dB scale is the documented one: the maximum at the top colour, 80 dB below it at the bottom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { main } from '../../../src/cli/main';
import { colormapTable } from '../../../src/audio/colormap';

const CLIP = join(__dirname, '../../fixtures/tfcompat/0_george_3.wav');
const dir = mkdtempSync(join(tmpdir(), 'wb-png-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function quiet(args: string[]): Promise<string> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  try {
    assert.equal(await main(args), 0);
    return out.join('\n');
  } finally {
    console.log = log;
  }
}

async function picture(extra: string[]): Promise<PNG> {
  const out = join(dir, 'p.png');
  await quiet(['spectrogram', '--input_wav', CLIP, '--output_png', out, ...extra]);
  return PNG.sync.read(readFileSync(out));
}

/** The pixel of frame f, bin b (low bins at the bottom). */
function pixel(png: PNG, f: number, b: number): number[] {
  const o = ((png.height - 1 - b) * png.width + f) * 4;
  return [png.data[o], png.data[o + 1], png.data[o + 2], png.data[o + 3]];
}

/** Power -> 0..255 on the dB scale: 10 log10(p) from max - 80 dB (0) to max (255). */
function dbIndices(power: number[]): number[] {
  const maxDb = 10 * Math.log10(Math.max(...power));
  return power.map((p) => {
    const v = ((10 * Math.log10(p) - (maxDb - 80)) * 255) / 80;
    return p > 0 ? Math.min(255, Math.max(0, Math.round(v))) : 0;
  });
}

test('spectrogram PNG: each pixel is the colormap colour of its bin power in dB (gray and magma)', async () => {
  const s = JSON.parse(await quiet(['features', CLIP, '--type', 'spectrogram', '--json']));
  const idx = dbIndices(s.data);
  assert.ok(new Set(idx).size > 200, 'the clip spans the colour range');
  const gray = await picture(['--colormap', 'gray']);
  assert.deepEqual([gray.width, gray.height], [s.frames, s.bins]);
  const magma = await picture(['--colormap', 'magma']);
  const table = colormapTable('magma');
  // matplotlib's magma runs from #000004 to #fcfdbf.
  assert.deepEqual([...table.subarray(0, 3), ...table.subarray(765)], [0, 0, 4, 0xfc, 0xfd, 0xbf]);
  let bad = 0;
  for (let f = 0; f < s.frames; f++)
    for (let b = 0; b < s.bins; b++) {
      const i = idx[f * s.bins + b];
      const g = pixel(gray, f, b);
      const m = pixel(magma, f, b);
      if (
        g.join() !== [i, i, i, 255].join() ||
        m.join() !== [...table.subarray(3 * i, 3 * i + 3), 255].join()
      )
        if (bad++ < 5) console.log(`# frame ${f} bin ${b}: index ${i}, gray ${g}, magma ${m}`);
    }
  assert.equal(bad, 0, `${bad} of ${s.frames * s.bins} pixels are not the colour of their dB value`);
});

test('MFCC PNG: each pixel is the coefficient scaled linearly from the minimum (black) to the maximum (white)', async () => {
  const m = JSON.parse(await quiet(['features', CLIP, '--type', 'mfcc', '--json']));
  const lo = Math.min(...m.data);
  const hi = Math.max(...m.data);
  const png = await picture(['--colormap', 'gray', '--mfcc']);
  assert.deepEqual([png.width, png.height], [m.frames, m.bins]);
  let bad = 0;
  for (let f = 0; f < m.frames; f++)
    for (let b = 0; b < m.bins; b++) {
      const i = Math.round(((m.data[f * m.bins + b] - lo) * 255) / (hi - lo));
      if (pixel(png, f, b).join() !== [i, i, i, 255].join()) bad++;
    }
  assert.equal(bad, 0, `${bad} of ${m.frames * m.bins} pixels are not their coefficient's grey`);
});
