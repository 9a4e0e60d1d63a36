// Progress on stderr: on a terminal one live line per cell, redrawn in place and left as a summary when
// the cell ends; elsewhere (CI logs, pipes) plain lines, at most one per cell every few seconds.
import type { Plan } from '../model/plan.js';
import { sideBySideLabel, type CellJob, type MeasureHooks } from '../measure/measuring-loop.js';
import type { CellMeasurement } from '../model/measurement.js';
import { thresholdFor } from '../compare/compare.js';
import { formatElapsed } from '../model/format.js';
import { liveCell, liveLine, recordProgress, type LiveCell } from '../report/live-line.js';
import { painter } from '../report/terminal-style.js';

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
  columns?: number;
  color: boolean;
}

export interface TerminalProgress {
  hooks: Pick<MeasureHooks, 'onCellStart' | 'onProgress' | 'onCellDone'>;
  /** a log line that must not be drawn over by the live line */
  log(message: string): void;
}

const PLAIN_EVERY_MS = 5000;
const CLEAR = '\r\x1b[2K';

export function terminalProgress(plan: Plan, out: ProgressSink, nowMs = () => Date.now()): TerminalProgress {
  const paint = painter(out.color);
  let current: { cell: LiveCell; prefix: string; lastPlainMs: number } | undefined;
  const fit = (line: string) => (out.columns && line.length > out.columns - 1 ? line.slice(0, out.columns - 1) : line);
  const draw = () => current && out.write(`${CLEAR}${fit(`${current.prefix} ${liveLine(current.cell)}`)}`);

  const onCellStart = (job: CellJob, index: number, total: number) => {
    const cell = liveCell(job.bench.id, job.runtime.id, {
      threshold: thresholdFor(job.bench, job.bench.metrics[0] ?? 'wall'),
      minRuns: plan.measure.minRuns,
      maxRuns: plan.measure.maxRuns,
      maxTimeMs: plan.measure.maxTimeMs,
      adaptive: plan.mode === 'compare',
    });
    current = { cell, prefix: paint(`[${index + 1}/${total}]`, 'dim'), lastPlainMs: nowMs() };
    if (out.isTTY) draw();
    else out.write(`${current.prefix} ${cell.label}${sideBySideLabel(job)}\n`);
  };

  const onProgress: MeasureHooks['onProgress'] = (_job, event) => {
    if (!current) return;
    recordProgress(current.cell, event);
    if (out.isTTY) return draw();
    if (nowMs() - current.lastPlainMs < PLAIN_EVERY_MS) return;
    current.lastPlainMs = nowMs();
    out.write(`${current.prefix} ${liveLine(current.cell)}\n`);
  };

  const onCellDone = (_job: CellJob, m: CellMeasurement) => {
    if (!current) return;
    const rounds = m.candidate.samples.length;
    const how = m.candidate.failure
      ? paint(`failed: ${m.candidate.failure.kind}`, 'red')
      : `${rounds} rounds, stopped: ${m.stopReason ?? 'done'}`;
    const line = `${current.prefix} ${current.cell.label}  ${how}  ${formatElapsed(m.elapsedMs)}`;
    out.write(`${out.isTTY ? CLEAR : ''}${line}\n`);
    current = undefined;
  };

  return {
    hooks: { onCellStart, onProgress, onCellDone },
    log: (message) => {
      out.write(`${out.isTTY && current ? CLEAR : ''}${message}\n`);
      if (out.isTTY) draw();
    },
  };
}
