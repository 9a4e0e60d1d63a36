// `wasm-perf-gate bisect --good A --bad B --build 'make wasm'`: the action's bisection on a laptop, a
// progress line per probe on stderr, the answer and the probe table on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileStore } from '../baseline/store.js';
import { REFRESH_ON_A_TERMINAL } from '../baseline/schema.js';
import type { RawInputs } from '../config/inputs.js';
import { readRunSettings } from '../config/run-settings.js';
import { probePlanner, readBisectInputs } from '../config/bisect-inputs.js';
import { probeLine } from '../bisect/line.js';
import { bisectMarkdown } from '../bisect/markdown.js';
import { bisectOptions, historySources } from '../bisect/options.js';
import { runBisect } from '../bisect/run-bisect.js';
import { cancelledBy } from '../process/cancellation.js';
import { exitCodeFor } from '../pipeline/cancel-on-signal.js';

export async function bisectCommand(
  inputs: RawInputs,
  workspace: string,
  files: { markdown?: string; json?: string },
): Promise<number> {
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const tempDir = join(tmpdir(), 'wasm-perf-gate');
  const settings = readRunSettings(inputs);
  const store = fileStore(resolve(workspace, settings.baselinePath ?? ''), 'baseline-path', REFRESH_ON_A_TERMINAL);
  const warn = (m: string) => log(`warning: ${m}`);
  const options = await bisectOptions(readBisectInputs(inputs), historySources(settings, store, tempDir), {
    log,
    warn,
  });
  const report = await runBisect(options, {
    planIn: probePlanner(inputs, workspace, tempDir),
    workspace,
    // outside the checkout: a bisection leaves its work tree exactly as it was
    tempDir,
    // the measuring pipeline's own lines (runtimes, cells) are noise here: the probe lines say what matters
    io: { log: () => undefined, warn },
    onProbe: (p, measured, budget) => log(`[${measured}/${budget}] ${probeLine(p)}`),
  });
  for (const [file, text] of [
    [files.markdown, bisectMarkdown(report)],
    [files.json, `${JSON.stringify(report, null, 2)}\n`],
  ] as const) {
    if (!file) continue;
    mkdirSync(dirname(resolve(workspace, file)), { recursive: true });
    writeFileSync(resolve(workspace, file), text);
  }
  process.stdout.write(`${report.message}\n`);
  for (const a of report.answers) {
    for (const sha of a.commits) {
      const info = report.named[sha];
      process.stdout.write(`  ${sha}${info ? `  ${info.subject}  (${info.author})` : ''}\n`);
    }
  }
  const cancelled = cancelledBy();
  return cancelled !== undefined ? exitCodeFor(cancelled) : 0;
}
