// The review bench's dataset: test-speaker clips of a Speech Commands tree copied into a temp folder,
// some moved to a wrong word's folder, exact and near copies planted (near: test/fixtures/review's
// nearCopy, gain 0.8 shifted 10 ms). Reads the tree only. Used by run.mjs and nearcopy.mjs.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nearCopy } from '../../test/fixtures/review/make_dataset.mjs';

const key = (s) => createHash('sha1').update(s).digest('hex');

/** Plants the dataset; returns its folder, the truth (moved: path -> true word; exact/near: pairs) and the clips. */
export function plantDataset(tree, WORDS, PER_WORD, MOVED, EXACT, NEAR) {
  const testing = new Set(readFileSync(join(tree, 'testing_list.txt'), 'utf8').split('\n').filter(Boolean));
  const dir = mkdtempSync(join(tmpdir(), 'wb-review-bench-'));
  const truth = { moved: new Map(), exact: [], near: [] };
  const chosen = [];
  for (const w of WORDS) {
    // One clip a speaker, the 60 first by a hash of the name (a fixed, arbitrary choice).
    const bySpeaker = new Map();
    for (const f of readdirSync(join(tree, w)).sort((a, b) => key(a).localeCompare(key(b)))) {
      const sp = f.split('_nohash_')[0];
      if (testing.has(`${w}/${f}`) && !bySpeaker.has(sp)) bySpeaker.set(sp, f);
    }
    const files = [...bySpeaker.values()].slice(0, PER_WORD);
    if (files.length < PER_WORD) throw new Error(`${w}: only ${files.length} test speakers`);
    mkdirSync(join(dir, w));
    for (const f of files) chosen.push({ word: w, name: f });
  }
  const names = new Set(chosen.map((c) => `${c.word}/${c.name}`));
  chosen.forEach((c, i) => {
    let folder = c.word;
    let name = c.name;
    // Every 20th clip (23 in all) goes to another word's folder. A speaker's takes of two words often
    // share a file name: the moved one then gets a new utterance number (before, 14 of the 23 moves
    // replaced a clip, leaving 490 clips).
    if (i % 20 === 7 && truth.moved.size < MOVED) {
      folder = WORDS[(WORDS.indexOf(c.word) + 1 + (i % 7)) % WORDS.length];
      if (names.has(`${folder}/${name}`)) name = name.replace(/_nohash_\d+\.wav$/, `_nohash_8${i}.wav`);
      truth.moved.set(`${folder}/${name}`, c.word);
    }
    copyFileSync(join(tree, c.word, c.name), join(dir, folder, name));
    c.path = `${folder}/${name}`;
  });
  const plain = chosen.filter((c) => !truth.moved.has(c.path));
  for (let k = 0; k < EXACT + NEAR; k++) {
    const c = plain[11 + 17 * k];
    const bytes = readFileSync(join(dir, c.path));
    // Copies keep the speaker part of the name (as a second take would) under a new utterance number.
    const copy = `${c.path.replace(/_nohash_\d+\.wav$/, '')}_nohash_9${k}.wav`;
    writeFileSync(join(dir, copy), k < EXACT ? bytes : nearCopy(bytes));
    (k < EXACT ? truth.exact : truth.near).push([c.path, copy]);
  }
  return { dir, truth, chosen };
}
