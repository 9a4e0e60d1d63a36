// How long the README's first command (`npm run example`) takes and what it says, several times over:
//   npx tsx bench/example-time.ts [--runs 3] [--load]
// --load keeps one core busy with a spin loop (another job on the runner) while it measures.
// Prints per run: wall seconds, the measuring time of the final line, and the verdicts; then the slowest.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, load: { type: 'boolean' } } });
const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.example;
const argv = script.split(' ').slice(1); // "node dist/cli.js compare ...": no quoting in it

const spinner = values.load ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : undefined;
const walls: number[] = [];
try {
  for (let i = 0; i < Number(values.runs); i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
    const wall = (performance.now() - start) / 1000;
    walls.push(wall);
    const summary = r.stdout.match(/^.*\(\d+ benchmarks? × .*$/m)?.[0] ?? '(no summary line)';
    const verdicts = [...r.stdout.matchAll(/^(\S+)\s+node\S*\s.*\s(\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    console.log(`run ${i + 1}: ${wall.toFixed(1)} s, exit ${r.status}, ${verdicts.join(', ')} | ${summary}`);
  }
} finally {
  spinner?.kill();
}
console.log(
  `slowest ${Math.max(...walls).toFixed(1)} s over ${walls.length} runs${values.load ? ' with one core busy' : ''}`,
);
