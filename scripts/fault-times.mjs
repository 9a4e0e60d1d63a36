// Runs the fault catalogue (__tests__/faults) under node:test's TAP reporter and prints a table: each case,
// the exit code and seconds of every bundled-action run it made (the `fault-run` diagnostics of fault-case.ts).
//   nice -n 15 node scripts/fault-times.mjs [file-substring...]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = '__tests__/faults';
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts') && (!only.length || only.some((o) => f.includes(o))))
  .map((f) => join(dir, f))
  .sort();

/** One file under node:test's TAP reporter: its TAP text and exit status. */
async function runFile(file) {
  const args = ['--import', 'tsx', '--test', '--test-reporter=tap', file];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let tap = '';
  child.stdout.on('data', (d) => (tap += d));
  const status = await new Promise((done) => child.on('close', done));
  return { tap, status };
}

/** The cases of one file's TAP: each test followed by its `fault-run` diagnostics (same indentation). */
function casesOf(tap, file) {
  const rows = [];
  let last;
  for (const line of tap.split('\n')) {
    const ok = /^(\s*)(not )?ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (ok) last = { indent: ok[1], file, name: ok[3].replace(/\\#/g, '#'), passed: !ok[2], runs: [] };
    const run = /^(\s*)# fault-run exit=(-?\d+) ms=(\d+)$/.exec(line);
    if (run && last && run[1] === last.indent) {
      if (!last.runs.length) rows.push(last);
      last.runs.push({ exit: Number(run[2]), s: Number(run[3]) / 1000 });
    }
  }
  return rows;
}

const rows = [];
let status = 0;
for (const file of files) {
  const r = await runFile(file);
  status ||= r.status ?? 1;
  rows.push(...casesOf(r.tap, file.replace(`${dir}/`, '').replace('.test.ts', '')));
}

const cell = (s) => s.replace(/\|/g, '\\|');
console.log('| suite | case | exit | seconds | result |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  const exits = r.runs.map((x) => x.exit).join(', ');
  const secs = r.runs.map((x) => x.s.toFixed(1)).join(' + ');
  console.log(`| ${r.file} | ${cell(r.name)} | ${exits} | ${secs} | ${r.passed ? 'ok' : 'FAILED'} |`);
}
const total = rows.reduce((a, r) => a + r.runs.reduce((b, x) => b + x.s, 0), 0);
const counts = new Map();
for (const r of rows) counts.set(r.file, (counts.get(r.file) ?? 0) + 1);
const perFile = [...counts].map(([f, n]) => `${f} ${n}`);
console.log(
  `\n${rows.length} cases (${perFile.join(', ')}), ${total.toFixed(0)} s of action runs; node:test exit ${status}`,
);
process.exit(status ?? 1);
