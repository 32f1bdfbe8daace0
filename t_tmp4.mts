import { readFileSync } from 'node:fs';
import { decodeAudio } from './src/audio/audioDecode';
const d = await decodeAudio(readFileSync('test/fixtures/compressed/chained.opus'));
console.log(d.channels[0].length, d.warnings);
