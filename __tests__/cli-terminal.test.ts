// The CLI as a person at a terminal sees it: the bundled dist/cli.js in a pseudo-terminal (util-linux
// `script`), piped, and with NO_COLOR; --help and --version; and the terminal format on hostile names.
/* eslint-disable no-control-regex -- the test looks for escape sequences on purpose */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_INPUTS, GITHUB_ONLY, GROUPS } from '../src/cli/help.js';
import { INPUTS } from '../src/config/inputs.js';
import { liveCell, liveLine, recordProgress } from '../src/report/live-line.js';
import { renderTerminal } from '../src/report/terminal-table.js';
import { makeReport, makeVerdict } from './helpers/report-fixtures.js';
import { exampleWasm } from './helpers/measure-env.js';
import { requireTool } from './helpers/tools.js';

const CLI = resolve('dist/cli.js');
const SGR = /\x1b\[[0-9;]*m/g;
const strip = (s: string) => s.replace(SGR, '');

function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in a pseudo-terminal; `script` merges stdout and stderr into what the terminal shows. */
function inPty(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, screen: r.stdout };
}

describe('--help and --version', () => {
  test('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${version}\n`);
    }
  });

  test('--help lists every CLI input with its description, grouped, and no GitHub-only input', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0, r.stderr);
    const flat = r.stdout.replace(/\s+/g, ' ');
    const grouped = GROUPS.flatMap((g) => g.inputs);
    for (const name of CLI_INPUTS) {
      const def = INPUTS.find((i) => i.name === name)!;
      assert.match(r.stdout, new RegExp(`^  --${name} `, 'm'), `--${name} is listed`);
      assert.equal(grouped.filter((n) => n === name).length, 1, `--${name} sits in exactly one group`);
      if (name === 'shard') continue; // its laptop wording is checked below
      assert.ok(
        flat.includes(def.description.replaceAll('`', '').replace(/\s+/g, ' ')),
        `--${name} has its description`,
      );
    }
    assert.doesNotMatch(r.stdout, /\$\{\{|^Other:/m, 'no workflow expressions, no ungrouped heap');
    assert.match(flat, /--shard K\/N Measure only share k\/n of the cells/);
    for (const name of GITHUB_ONLY)
      assert.doesNotMatch(r.stdout, new RegExp(`--${name}\\b`), `--${name} is GitHub-only`);
    for (const group of ['What to measure:', 'How to measure:', 'Baseline:', 'Verdict and reporting:', 'Exit codes:'])
      assert.ok(r.stdout.includes(group), group);
    assert.match(r.stdout, /--markdown FILE/);
    assert.match(r.stdout, /--json FILE/);
  });

  test('a wrong command or flag is a usage error (exit 2) with one line saying so', () => {
    const r = cli(['measure']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "measure"/);
    assert.equal(cli(['compare', '--comment', 'true']).code, 2, '--comment is GitHub-only');
  });
});

const pty = requireTool('script');

describe('a baseline then a compare, as a terminal shows them', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wpg-cli-'));
    copyFileSync(exampleWasm('add-one'), join(dir, 'add-one.wasm'));
    const r = cli(['baseline', '--artifacts', 'add-one.wasm', '--warmup', '0', '--min-runs', '3', '--max-runs', '3'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A/A on a busy machine may still read as a change: the verdict is not what these tests check, so it does not gate.
  const compareArgs = [
    'compare',
    ...['--artifacts', 'add-one.wasm', '--warmup', '0', '--min-runs', '4', '--max-runs', '6'],
    ...['--fail-on-regression', 'false', '--fail-on-likely-regression', 'false'],
  ];

  test('in a terminal: a live line redrawn in place, then a coloured aligned table and the headline', pty, () => {
    const { code, screen } = inPty([...compareArgs, '--markdown', 'r.md', '--json', 'r.json'], dir);
    assert.equal(code, 0, screen);
    assert.ok(screen.includes('\r\x1b[2K'), 'the live line is redrawn in place');
    const frames = strip(screen).split(/\r\x1b\[2K|\r?\n/);
    assert.ok(
      frames.some((f) =>
        /add-one on node@\S+ +round [2-6]\/6 {2}[+-±][\d.]+% ±[\d.]+% {2}stops at ±[\d.]+% {2}ETA ≤?\d+s/.test(f),
      ),
      `a live line with round, change, stop target and ETA:\n${frames.join('\n')}`,
    );
    assert.match(screen, /\x1b\[(1|2|3\d)m/, 'colours on a terminal');
    const lines = strip(screen).split(/\r?\n/);
    const header = lines.findIndex((l) => /^benchmark +runtime +baseline +PR +change +verdict$/.test(l));
    assert.ok(header >= 0, `table header:\n${lines.join('\n')}`);
    const row = lines[header + 1]!;
    assert.match(
      row,
      /^add-one +node@\S+ +\S+ \S*s +\S+ \S*s +[+-±][\d.]+% \[[^\]]+\] +(unchanged|inconclusive|(likely )?(regressed|improved))$/,
      row,
    );
    assert.equal(row.indexOf('node@'), lines[header]!.indexOf('runtime'), 'columns line up');
    assert.ok(
      lines.some((l) =>
        /^(no performance regressions|performance regressed|no proven regression, but .*|.*likely.*) · .*\(1 benchmark × 1 runtime, /.test(
          l,
        ),
      ),
      'headline',
    );
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /wasm-perf-gate: /);
    assert.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).mode, 'compare');
  });

  test('NO_COLOR: the same screen without a single colour code', pty, () => {
    const { code, screen } = inPty(compareArgs, dir, { NO_COLOR: '1' });
    assert.equal(code, 0, screen);
    assert.doesNotMatch(screen, SGR);
    assert.match(screen, /^benchmark +runtime +baseline/m);
  });

  test('piped: plain progress lines (no carriage returns), a plain table on stdout', () => {
    const r = cli(compareArgs, { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /\r|\x1b/);
    assert.match(r.stderr, /^\[1\/1\] add-one on node@\S+ \(side by side with the baseline\)$/m);
    assert.match(r.stderr, /^\[1\/1\] add-one on node@\S+ {2}\d rounds, stopped: /m);
    assert.doesNotMatch(r.stdout, /\x1b/);
    assert.match(r.stdout, /^add-one +node@/m);
  });
});

describe('terminal format (pure)', () => {
  test('untrusted names cannot inject escape sequences; failures and the verdict are spelled out', () => {
    const report = makeReport({ benchmarks: ['fib'], runtimes: ['node'] });
    report.verdicts = [
      makeVerdict('evil\x1b[2J\x1b]0;pwned\x07', 'node', 'regressed', {
        ratio: 1.5,
        interval: [1.4, 1.6],
        candidateMedian: 150,
      }),
      makeVerdict('crash', 'node', 'failed'),
    ];
    report.headline = 'failed';
    const text = renderTerminal(report, { color: false });
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(text, /^evil\?\[2J\?\]0;pwned\? +node +100 ms +150 ms +\+50\.0% \[\+40\.0%, \+60\.0%\] +regressed$/m);
    assert.match(text, /^failed crash on node: wasm trap: integer divide by zero$/m);
    assert.match(text, /^benchmarks failed · 1 regressed · 1 failed \(/m);
    const coloured = renderTerminal(report, { color: true });
    assert.match(coloured, /\x1b\[31m/, 'regressions in red');
    assert.equal(strip(coloured), text, 'colour changes nothing but colour');
  });

  test('the live line: paired change at the stop rule confidence, the stop target and an ETA', () => {
    const cell = liveCell('nbody', 'node', {
      threshold: 0.01,
      minRuns: 6,
      maxRuns: 120,
      maxTimeMs: 60_000,
      adaptive: true,
    });
    const walls = [100, 101, 99, 100.5, 100, 99.5, 100.2, 100.1, 99.8, 100, 100.3, 99.9, 100, 100.1];
    walls.forEach((b, round) => {
      recordProgress(cell, { arm: 'baseline', phase: 'run', index: round, wallMs: b, failed: false, elapsedMs: 0 });
      recordProgress(cell, {
        arm: 'candidate',
        phase: 'run',
        index: round,
        wallMs: b * (1.018 + (round % 3) * 0.002 - 0.002),
        failed: false,
        elapsedMs: (round + 1) * 1000,
      });
    });
    const line = liveLine(cell);
    assert.match(line, /^nbody on node +round 14\/120 {2}\+1\.8% ±[\d.]+% {2}stops at ±0\.8% {2}ETA \d+s$/, line);
  });
});
