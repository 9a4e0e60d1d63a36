// Regenerates the documentation tables that come from code (inputs, outputs, metrics, runtimes, unsupported runtimes)
// in the docs/ pages that hold them: `npx tsx scripts/readme-tables.ts --write`. A test checks they are current.
import { readFileSync, writeFileSync } from 'node:fs';
import { INPUTS } from '../src/config/inputs.js';
import { OUTPUTS } from '../src/report/outputs.js';
import { BUILTIN_METRICS, SIDE_METRICS, SIZE_METRICS } from '../src/model/metrics.js';
import { registry, runtimeNames } from '../src/runtimes/registry.js';
import { unsupportedRuntimes } from '../src/runtimes/unsupported.js';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function inputsTable(): string {
  const rows = INPUTS.map(
    (i) => `| \`${i.name}\` | ${i.default === '' ? '' : `\`${i.default}\``} | ${cell(i.description)} |`,
  );
  return ['| input | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(): string {
  const rows = OUTPUTS.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`);
  return ['| output | what it holds |', '| --- | --- |', ...rows].join('\n');
}

function runtimesTable(): string {
  const rows = runtimeNames().map((name) => {
    const d = registry[name]!;
    const variants =
      Object.keys(d.variants)
        .map((v) => `\`${v}\``)
        .join(', ') || '–';
    const version =
      d.install.kind === 'embedded'
        ? "the action's own node"
        : d.install.kind === 'command'
          ? '–'
          : `\`${d.defaultVersion}\``;
    return `| \`${name}\` | ${cell(d.summary)} | ${version} | ${variants} | ${d.aot ? 'yes' : '–'} |`;
  });
  return [
    '| runtime | what | pinned default | variants (`name:variant`) | AOT |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function unsupportedTable(): string {
  const rows = unsupportedRuntimes.map((u) => `| ${u.name} | ${cell(u.reason)} | ${cell(u.instead)} |`);
  return ['| runtime | why not built in | use instead |', '| --- | --- | --- |', ...rows].join('\n');
}

const SOURCES: Record<string, string> = {
  process: 'every run: the wall clock around spawn → exit',
  launcher: 'every run, node/bun/deno only: timed inside the WASI launcher',
  rusage:
    "every run: the kernel's accounting of the process (the launcher's getrusage on node/bun/deno, GNU time's wait4 elsewhere)",
  counter: 'a few extra runs outside the timed loop: perf stat, else valgrind cachegrind',
  aot: 'the ahead-of-time compile step before the timed runs',
  artifact: 'the .wasm file itself, nothing runs ([size.md](size.md))',
};

function metricsTable(): string {
  const rows = [...BUILTIN_METRICS, ...SIDE_METRICS, ...SIZE_METRICS].map(
    (m) => `| \`${m.id}\` | ${m.label} | ${m.unit} | ${m.direction} is better | ${SOURCES[m.source] ?? m.source} |`,
  );
  return ['| metric | what | unit | direction | measured from |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

const SECTIONS: Record<string, () => string> = {
  inputs: inputsTable,
  outputs: outputsTable,
  runtimes: runtimesTable,
  unsupported: unsupportedTable,
  metrics: metricsTable,
};

/** Which page holds each generated section. */
export const SECTION_PAGES: Record<string, readonly string[]> = {
  'docs/configuration.md': ['inputs', 'outputs'],
  'docs/measuring.md': ['metrics'],
  'docs/runtimes.md': ['runtimes', 'unsupported'],
};

/** The page with each of its generated sections replaced by what the code says now. */
export function regeneratePage(path: string, text: string): string {
  let out = text;
  for (const name of SECTION_PAGES[path] ?? []) {
    const render = SECTIONS[name]!;
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(out)) throw new Error(`${path} has no <!-- ${name}:start --> … <!-- ${name}:end --> section`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${render()}\n${b}`);
  }
  return out;
}

if (process.argv[1]?.endsWith('readme-tables.ts') && process.argv.includes('--write')) {
  for (const path of Object.keys(SECTION_PAGES)) writeFileSync(path, regeneratePage(path, readFileSync(path, 'utf8')));
}
