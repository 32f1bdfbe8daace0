import { readFileSync } from 'node:fs';
import { decodeAudio } from './src/audio/audioDecode';
const b = readFileSync('test/fixtures/compressed/two_streams.ogg.f32'); const R = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset+b.length));
const d = await decodeAudio(readFileSync('test/fixtures/compressed/two_streams.ogg'));
const x = d.channels[0];
for (const sh of [-256, -128, 0, 128, 256]) { let m=0; for (let i=300;i<15000;i++) m=Math.max(m,Math.abs(x[i+sh]-R[i])); console.log(sh, m); }
const w = decodeAudio(readFileSync('test/fixtures/compressed/speech.wav'));
const s=(await w).channels[0]; for (const sh of [-256,0,256]) { let m=0; for (let i=300;i<15000;i++) m+=(x[i+sh]-s[i])**2; console.log('vs src', sh, Math.sqrt(m/14700)); }
