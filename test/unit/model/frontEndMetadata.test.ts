// metadata.json for the melspectrogram and waveform front ends: parsed, validated one field a line,
// and run through ModelInput (frames, bins, shared frames only where frames are independent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetadata, featureConfigOf } from '../../../src/model/metadata';
import { ModelInput } from '../../../src/model/modelInput';
import { FeatureExtractor } from '../../../src/audio/features';
import { MelSpectrogram } from '../../../src/audio/melSpectrogram';

const base = { name: 'm', labels: ['a', 'b'], sampleRate: 16000, clipDurationMs: 1000 };
const mel = (features: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseMetadata({ ...base, ...extra, features: { type: 'melspectrogram', ...features } });

test('melspectrogram: torchaudio defaults fill what metadata.json leaves out', () => {
  const m = mel({ nFft: 512, winLength: 400, hopLength: 160, nMels: 40, log: 'log' });
  assert.deepEqual(m.features.mel, {
    sampleRate: 16000,
    nFft: 512,
    winLength: 400,
    hopLength: 160,
    nMels: 40,
    fMin: 0,
    fMax: 8000,
    center: true,
    padMode: 'reflect',
    power: 2,
    melScale: 'htk',
    norm: 'none',
    log: 'log',
    logOffset: 1e-6,
  });
  assert.equal(m.features.binCount, 40);
  assert.equal(m.windowSizeMs, 25);
  assert.equal(m.windowStrideMs, 10);
  assert.equal(m.features.normalize, 'none');
  const d = mel({ nFft: 400 }).features.mel!;
  assert.deepEqual([d.winLength, d.hopLength, d.nMels], [400, 200, 128]);
  // torchaudio's norm=None written as JSON null
  assert.equal(mel({ nFft: 400, norm: null }).features.mel!.norm, 'none');
  assert.equal(mel({ nFft: 400, log: 'db', topDb: 80 }).features.mel!.topDb, 80);
});

test('melspectrogram: each bad field is one line naming it', () => {
  const bad = (f: Record<string, unknown>, re: RegExp, extra: Record<string, unknown> = {}) =>
    assert.throws(
      () => mel(f, extra),
      (e: Error) => re.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(f),
    );
  bad({}, /"features.nFft" is required/);
  bad({ nFft: 1 }, /"features.nFft" must be an integer from 2/);
  bad({ nFft: 400.5 }, /"features.nFft" must be an integer/);
  bad({ nFft: 400, winLength: 512 }, /"features.winLength" \(512\) must be at most "nFft"/);
  bad({ nFft: 400, hopLength: 0 }, /"features.hopLength" must be an integer from 1/);
  bad({ nFft: 400, nMels: 5000 }, /"features.nMels" must be an integer from 1 to 1024/);
  bad({ nFft: 400, center: 'yes' }, /"features.center" must be true or false/);
  bad({ nFft: 400, padMode: 'edge' }, /"features.padMode" must be "reflect" or "constant"/);
  bad({ nFft: 400, power: 1.5 }, /"features.power" must be 1 or 2/);
  bad({ nFft: 400, melScale: 'mel' }, /"features.melScale" must be "htk" or "slaney"/);
  bad({ nFft: 400, norm: 1 }, /"features.norm" must be "slaney" or "none"/);
  bad({ nFft: 400, log: 'ln' }, /"features.log" must be "log" or "db" or "none"/);
  bad({ nFft: 400, log: 'log', logOffset: 0 }, /"features.logOffset" must be a positive number/);
  bad({ nFft: 400, logOffset: 1e-6 }, /"features.logOffset" goes with "log": "log"/);
  bad({ nFft: 400, log: 'log', topDb: 80 }, /"features.topDb" goes with "log": "db"/);
  bad({ nFft: 400, fMin: -1 }, /"features.fMin" must be a non-negative number/);
  bad({ nFft: 400, fMin: 5000, fMax: 4000 }, /fMin < fMax <= sampleRate \/ 2 \(got 5000..4000 Hz/);
  bad({ nFft: 400, fMax: 9000 }, /fMin < fMax <= sampleRate \/ 2/);
  bad(
    { nFft: 400, hop_length: 160 },
    /"features.hop_length" is not a melspectrogram field \(its fields: nFft, /,
  );
  bad({ nFft: 400, binCount: 40 }, /"features.binCount" is not a melspectrogram field \(use "nMels"\)/);
  bad(
    { nFft: 400, hopLength: 160 },
    /"windowStrideMs" \(20 ms\) disagrees with "features.hopLength" \(160 samples\)/,
    {
      windowStrideMs: 20,
    },
  );
  bad({ nFft: 4096, center: false }, /the clip \(1600 samples\) is shorter than "nFft" \(4096\)/, {
    clipDurationMs: 100,
  });
  bad({ nFft: 4096 }, /too short to reflect-pad by nFft \/ 2 \(2048\)/, { clipDurationMs: 100 });
  // the same clip zero-padded is fine
  assert.equal(mel({ nFft: 4096, padMode: 'constant' }, { clipDurationMs: 100 }).features.mel!.nFft, 4096);
});

test('melspectrogram through ModelInput: frames, bins, and the layout [frames][mels]', async () => {
  const m = mel({ nFft: 512, winLength: 400, hopLength: 160, nMels: 40, log: 'log' });
  const mi = await ModelInput.create(m);
  assert.deepEqual([mi.frames, mi.bins], [101, 40]);
  const x = Float32Array.from({ length: 16000 }, (_, i) => Math.sin(i * 0.05) * 0.3);
  const out = new Float32Array(mi.size);
  mi.write(x, 0, out);
  const direct = new MelSpectrogram(m.features.mel!).compute(x);
  assert.deepEqual(out, direct.data);
  mi.dispose();
});

test('melspectrogram shares frames across windows only when frames are independent', async () => {
  const x = Float32Array.from({ length: 24000 }, (_, i) => Math.sin(i * 0.013) * Math.cos(i * 0.0007));
  const starts = [0, 1600, 3200, 8000];
  for (const [f, shared] of [
    [{ nFft: 512, hopLength: 160, nMels: 40, center: false }, true],
    [{ nFft: 512, hopLength: 160, nMels: 40, center: false, log: 'db', topDb: 40 }, false],
    [{ nFft: 512, hopLength: 160, nMels: 40 }, false],
  ] as const) {
    const mi = await ModelInput.create(mel(f));
    const sharedOut = new Float32Array(starts.length * mi.size);
    assert.equal(mi.writeShared(x, starts, sharedOut), shared, JSON.stringify(f));
    if (shared) {
      const one = new Float32Array(mi.size);
      starts.forEach((s, j) => {
        mi.write(x, s, one);
        assert.deepEqual(sharedOut.subarray(j * mi.size, (j + 1) * mi.size), one);
      });
    }
    mi.dispose();
  }
});

test('waveform: the samples are the input, [samples] x 1, shared across windows', async () => {
  const m = parseMetadata({ ...base, features: { type: 'waveform' } });
  assert.equal(m.features.type, 'waveform');
  assert.equal(m.features.normalize, 'none');
  assert.throws(
    () => parseMetadata({ ...base, features: { type: 'waveform', nMels: 40 } }),
    /"features.nMels" is not a waveform field \(it takes no parameters\)/,
  );
  const mi = await ModelInput.create(m);
  assert.deepEqual([mi.frames, mi.bins, mi.size], [16000, 1, 16000]);
  const x = Float32Array.from({ length: 20000 }, (_, i) => ((i % 200) - 100) / 100);
  const out = new Float32Array(mi.size);
  mi.write(x, 3000, out);
  assert.deepEqual(out, x.subarray(3000, 19000));
  // a short clip is zero-padded at the end, as decode_wav(desired_samples) does
  mi.write(x.subarray(0, 100), 0, out);
  assert.deepEqual(out.subarray(0, 100), x.subarray(0, 100));
  assert.ok(out.subarray(100).every((v) => v === 0));
  const both = new Float32Array(2 * mi.size);
  assert.equal(mi.writeShared(x, [0, 4000], both), true);
  assert.deepEqual(both.subarray(mi.size), x.subarray(4000, 20000));
  mi.dispose();
  const fx = await FeatureExtractor.create(featureConfigOf(m));
  assert.equal(fx.frameHop, 1);
  fx.dispose();
});
