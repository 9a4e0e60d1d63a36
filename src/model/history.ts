// The history of main: one compact point per refresh and cell (benchmark × runtime × metric).
// Raw samples stay out: a point is what later refreshes and PRs need to judge session-to-session drift.

export interface HistoryPoint {
  /** commit the refresh measured (absent for local runs without one) */
  commit?: string;
  /** when the refresh ran (ISO 8601) */
  date: string;
  runtimeVersion: string;
  /** short hash of the machine fingerprint (baseline/fingerprint.ts): points of other machines are told apart */
  machine: string;
  median: number;
  /** 95% distribution-free interval of the median (sign-test order statistics) */
  interval: [number, number];
  n: number;
}

export interface CellHistory {
  benchmark: string;
  /** runtime display id without version */
  runtime: string;
  metric: string;
  /** oldest first, at most HISTORY_MAX_POINTS */
  points: HistoryPoint[];
  /** `date` of the first point of every change point already reported, so a refresh reports only new ones */
  changePoints?: string[];
  /** significant splits not yet confirmed by enough looks (history/confirm.ts); absent when none */
  pending?: PendingChangePoint[];
  /** what was reported for the change points in `changePoints` (by `date`): absent in documents of older versions */
  reported?: ReportedChangePoint[];
}

/** Which rule found a change point: the fast path for a clear step, or the confirmed permutation test. */
export type ChangePointPath = 'fast' | 'permutation';

/** A reported change point as the report gave it: the trend chart and bisect's default range read it. */
export interface ReportedChangePoint {
  /** `date` of this cell's first point after the change (as in `changePoints`) */
  date: string;
  path: ChangePointPath;
  /** the fast path's larger t p-value of its two refreshes, or the permutation p */
  pValue: number;
  ratio: number;
  /** the reported commit range: last commit before the change, first measured after it */
  fromCommit?: string;
  commit?: string;
}

/** A significant split waiting for confirmation by refreshes measured after it was first seen. */
export interface PendingChangePoint {
  /** `date` of the split's first point at the latest look */
  date: string;
  /** `date` of the newest point when the split was first seen: later points confirm or refute it */
  since: string;
}

/**
 * Points kept per cell. 200 refreshes cover ~6 months of daily pushes to main — far longer than a
 * regime between change points — while a cell stays ~30 KB and a 200-point permutation scan stays cheap.
 */
export const HISTORY_MAX_POINTS = 200;
