// The layer check (`npm run cycles`): every import between src/ folders runs down the pipeline's layers, so no
// stage reaches back into a later one and no two folders import each other. Why this order: docs/adrs/0018-layers.md.
// Files directly under src/ are the entry points: the top layer, imported by no one.
import madge from 'madge';

/** Lowest first. A folder may import its own files and folders of lower layers; folders of one layer not each other. */
const LAYERS = [
  ['model'],
  ['wasm'], // pure readers of a module's bytes (sections, imports, exports, names)
  ['stats'],
  ['process'], // process groups, run scopes and cancellation: what every stage that spawns shares
  ['runtimes'],
  ['config'],
  ['measure'],
  ['baseline'],
  ['history'],
  ['compare'],
  ['report'],
  ['github'],
  ['pipeline'],
  ['shard', 'bisect'],
  ['cli'],
  ['(entry)'],
];

const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));
const folderOf = (file) => (file.includes('/') ? file.split('/')[0] : '(entry)');

// `node scripts/layers.mjs [dir]`: another tree with the same folder names (the test's fixtures) instead of src/.
const root = process.argv[2] ?? 'src';
const graph = await madge(root, { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
const problems = [];
for (const file of graph.warnings().skipped)
  problems.push(`${root}/${file}: import not resolved (the check cannot see it)`);
for (const [file, deps] of Object.entries(graph.obj())) {
  const from = folderOf(file);
  if (!layerOf.has(from)) {
    problems.push(
      `${root}/${file}: folder src/${from}/ has no layer: add it to LAYERS in scripts/layers.mjs and the ADR`,
    );
    continue;
  }
  for (const dep of deps) {
    const to = folderOf(dep);
    if (to === from || !layerOf.has(to)) continue;
    if (layerOf.get(to) >= layerOf.get(from)) {
      problems.push(
        `${root}/${file} imports ${root}/${dep}: ${from}/ may not import ${to === '(entry)' ? 'an entry point' : `${to}/`} ` +
          `(same or later layer). Move what both need down (shared types and helpers: src/model/).`,
      );
    }
  }
}
if (problems.length) {
  console.error(`Layer check: ${problems.length} import(s) run back up the layers (docs/adrs/0018-layers.md):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`Layer check: ${Object.keys(graph.obj()).length} files, every import runs down the layers.`);
