// The native runtimes' region report (wasm/region-rewrite.ts): the one stderr line `<nonce> region …` the
// rewritten module writes as it ends is taken out of the run's stderr before anything else reads it (expected
// output, failure tails, reports), and becomes the run's `region` value. A kernel's result, reported as bits,
// is printed on stdout as the JS launcher prints it, so `expect-result` checks it the same way everywhere.
import type { KernelSpec } from '../model/plan.js';
import { FLAG, formatResult, parseReportLine, type RegionReport } from '../wasm/region-rewrite.js';
import type { ReadExtra } from './engine.js';
import type { ProcessOutcome } from './process.js';

/** The launcher's words for each misuse (launchers/wasi-launcher.mjs), so every runtime says the same. */
const MISUSE: ReadonlyArray<readonly [number, string]> = [
  [FLAG.endWithoutStart, 'bench.end was called without a bench.start before it'],
  [FLAG.startTwice, 'bench.start was called twice without bench.end between them'],
  [FLAG.neverEnded, 'bench.start was called without a matching bench.end before the program ended'],
];

/** `text` without its last line carrying a report with `nonce`, and what that line said. Pure. */
export function takeReport(text: string, nonce: string): { text: string; report?: RegionReport } {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const report = parseReportLine(lines[i]!, nonce);
    if (report) return { text: [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'), report };
  }
  return { text };
}

const NO_REPORT = 'the rewritten module wrote no region report to stderr as it ended';
const NO_REPORT_WHY = 'did the program close stderr, or exit another way?';

export interface RegionChannel {
  reviseOutcome: (outcome: ProcessOutcome) => ProcessOutcome;
  readExtra: ReadExtra;
}

/**
 * Per arm: `reviseOutcome` strips the report from stderr (head, tail, whole) and keeps it; a run that misused
 * the markers fails as the launcher's would; `readExtra` gives that run's `region` in ms (`hint`: why a
 * report can be missing on this runtime, for the failure).
 */
export function regionChannel(nonce: string, kernel?: Pick<KernelSpec, 'results'>, hint?: string): RegionChannel {
  let last: RegionReport | undefined;
  const reviseOutcome = (outcome: ProcessOutcome): ProcessOutcome => {
    const tail = takeReport(outcome.stderrTail, nonce);
    const head = outcome.stderrHead === undefined ? undefined : takeReport(outcome.stderrHead, nonce);
    const full = outcome.stderrFull === undefined ? undefined : takeReport(outcome.stderrFull, nonce);
    last = tail.report ?? full?.report ?? head?.report;
    // A run that ended well without a report measured nothing: it fails as such, before its output is checked.
    if (!last) return outcome.exitCode === 0 ? failed(outcome, `${NO_REPORT} (${hint ?? NO_REPORT_WHY})`) : outcome;
    const lineBytes = 91 + 17 * last.results.length;
    let revised: ProcessOutcome = {
      ...outcome,
      stderrTail: tail.text,
      ...(head ? { stderrHead: head.text } : {}),
      ...(full ? { stderrFull: full.text } : {}),
      ...(outcome.stderrBytes === undefined ? {} : { stderrBytes: Math.max(0, outcome.stderrBytes - lineBytes) }),
    };
    const misuse = MISUSE.find(([flag]) => (last!.flags & flag) !== 0);
    if (misuse && outcome.exitCode === 0) {
      revised = failed(revised, `unbalanced bench markers: ${misuse[1]}`);
    }
    if (kernel && kernel.results.length > 0 && last.results.length === kernel.results.length)
      revised = printed(revised, `${kernel.results.map((t, i) => formatResult(t, last!.results[i]!)).join(',')}\n`);
    return revised;
  };
  const readExtra: ReadExtra = (outcome): Record<string, number> => {
    const report = last;
    last = undefined;
    if (!report) {
      if (outcome.exitCode !== 0) return {};
      throw new Error(`${NO_REPORT} (${hint ?? NO_REPORT_WHY})`);
    }
    return { region: Number(report.ns) / 1e6 };
  };
  return { reviseOutcome, readExtra };
}

/** The outcome as a failed run whose stderr starts with wasm-perf-gate's `message`. */
function failed(o: ProcessOutcome, message: string): ProcessOutcome {
  return { ...o, exitCode: 1, stderrHead: `wasm-perf-gate: ${message}\n${o.stderrHead ?? ''}` };
}

/** The outcome as if the program had also printed `text` on stdout. */
function printed(o: ProcessOutcome, text: string): ProcessOutcome {
  const bytes = Buffer.byteLength(text);
  return {
    ...o,
    ...(o.stdoutTail ? { stdoutTail: o.stdoutTail + text } : { stdoutHead: o.stdoutHead + text }),
    ...(o.stdoutFull === undefined ? {} : { stdoutFull: o.stdoutFull + text }),
    ...(o.stdoutBytes === undefined ? {} : { stdoutBytes: o.stdoutBytes + bytes }),
  };
}
