// The WASI launcher's `--timings FILE` JSON → metric values keyed by metric id (see metrics.ts).
import { readFileSync, rmSync } from 'node:fs';
import { CONTEXT } from './disturbance.js';
import type { ReadExtra } from './engine.js';

/** launcher JSON field → metric id */
const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['compileMs', 'compile'],
  ['instantiateMs', 'instantiate'],
  ['executeMs', 'execute'],
  ['regionMs', 'region'],
  ['peakRssBytes', 'peak-rss'],
  ['userMs', 'user'],
  ['sysMs', 'sys'],
  // Not metrics: how disturbed the run was (see disturbance.ts), split off into Sample.context by the engine.
  ['involuntaryContextSwitches', CONTEXT.invcsw],
  ['lastCpu', CONTEXT.core],
];

/** Pure: metric values from the launcher's JSON text; fields it did not write are left out. */
export function parseLauncherTimings(json: string): Record<string, number> {
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null) throw new Error('launcher timings are not a JSON object');
  const obj = raw as Record<string, unknown>;
  const values: Record<string, number> = {};
  for (const [field, id] of FIELDS) {
    const v = obj[field];
    if (typeof v === 'number' && Number.isFinite(v)) values[id] = v;
  }
  if (values['user'] !== undefined && values['sys'] !== undefined) values['cpu'] = values['user'] + values['sys'];
  return values;
}

/**
 * A ReadExtra for an arm whose argv carries `--timings FILE`: reads the file after each run and deletes it,
 * so a run that fails to write it can never be credited with the previous run's numbers.
 */
export function launcherTimingsReader(file: string): ReadExtra {
  return () => {
    try {
      return parseLauncherTimings(readFileSync(file, 'utf8'));
    } finally {
      rmSync(file, { force: true });
    }
  };
}
