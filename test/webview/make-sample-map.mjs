// Makes sample-map.json, the dataset page's map in the preview: 10,000 points of a real review
// (`node dist/cli.js review TREE --json REVIEW.json` on a Speech Commands tree, default model), taken
// by a seeded sample, with their real labels, coordinates (2 decimals), suspects and duplicate groups.
// File names are left out to keep the fixture small: the preview names point i `<label>/clip<i>.wav`.
//   node test/webview/make-sample-map.mjs REVIEW.json [N]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [file, nArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/webview/make-sample-map.mjs REVIEW.json [N]');
  process.exit(2);
}
const N = Number(nArg ?? 10000);
const r = JSON.parse(readFileSync(file, 'utf8'));
if (!r.map) throw new Error(`${file}: the review has no map`);
// mulberry32, as src/dataset/linalg.ts's rng
let a = 12345;
const random = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const all = r.map.points.map((_, i) => i);
for (let i = 0; i < Math.min(N, all.length); i++) {
  const j = i + Math.floor(random() * (all.length - i));
  [all[i], all[j]] = [all[j], all[i]];
}
const chosen = all.slice(0, N).sort((x, y) => x - y);
const at = new Map(chosen.map((i, k) => [r.map.points[i].path, k]));
const labels = [...new Set(chosen.map((i) => r.map.points[i].label))].sort();
const round = (v) => Math.round(v * 100) / 100;
const out = {
  source: `${r.clips} clips of a Speech Commands tree reviewed with ${r.model.name}; ${chosen.length} points sampled`,
  method: r.map.method,
  fitted: r.map.fitted,
  labels,
  points: chosen.map((i) => {
    const p = r.map.points[i];
    return [labels.indexOf(p.label), round(p.x), round(p.y)];
  }),
  suspects: r.suspects
    .filter((s) => at.has(s.path))
    .map((s) => [at.get(s.path), s.suggested, Math.round(s.score * 1000) / 1000]),
  duplicates: r.duplicates
    .map((g) => ({ kind: g.kind, members: g.paths.filter((p) => at.has(p)).map((p) => at.get(p)) }))
    .filter((g) => g.members.length > 1),
};
const text = JSON.stringify(out)
  .replace(/\],\[/g, '],\n[')
  .replace(/"points":\[\[/, '"points":[\n[');
writeFileSync(join(import.meta.dirname, 'sample-map.json'), text + '\n');
console.log(
  `${out.points.length} points, ${out.suspects.length} suspects, ${out.duplicates.length} duplicate groups`,
);
