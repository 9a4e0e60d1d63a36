// What the run scope (src/process/escapees.ts) costs: a measured process's wall time (the timed window) and
// the work around it, with the cgroup scope and with the /proc sweep alone (WASM_PERF_GATE_CGROUP=off).
// Rounds alternate the two in fresh processes, so drift hits both alike.
//   npx tsx bench/containment-overhead.ts [--rounds 10] [--runs 100] [--argv /bin/true]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { containmentKind } from '../src/process/escapees.js';
import { runProcess } from '../src/measure/process.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '100' },
    argv: { type: 'string', default: '/bin/true' },
    child: { type: 'boolean', default: false },
  },
});
const argv = values.argv.split(' ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (values.child) {
  const wall: number[] = [];
  const around: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const t0 = process.hrtime.bigint();
    const r = await runProcess({ argv, env: { PATH: process.env['PATH'] ?? '' } }, { timeoutMs: 10_000 });
    const total = Number(process.hrtime.bigint() - t0) / 1e6;
    wall.push(r.wallMs);
    around.push(total - r.wallMs);
  }
  console.log(JSON.stringify({ kind: containmentKind(), wall: median(wall), around: median(around) }));
} else {
  const rows: Record<string, { wall: number[]; around: number[] }> = {};
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const mode of round % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', '--runs', values.runs, '--argv', values.argv],
        {
          encoding: 'utf8',
          env: { ...process.env, WASM_PERF_GATE_CGROUP: mode },
        },
      );
      const o = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { kind: string; wall: number; around: number };
      (rows[o.kind] ??= { wall: [], around: [] }).wall.push(o.wall);
      rows[o.kind]!.around.push(o.around);
    }
  }
  console.log(`${values.argv}: ${values.rounds} rounds × ${values.runs} runs; medians of the per-round medians (ms)`);
  for (const [kind, v] of Object.entries(rows)) {
    console.log(
      `${kind.padEnd(7)} wall (timed window) ${median(v.wall).toFixed(3)}  around it (scope + sweep + bookkeeping) ${median(v.around).toFixed(3)}`,
    );
  }
}
