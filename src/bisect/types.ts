// What a bisection reports: the `bisect` output (JSON), the job summary and the CLI's lines all read this.
import type { VerdictKind } from '../model/verdict.js';
import type { Side } from './core.js';
import type { FollowedCell } from './decide.js';

/** A followed cell's verdict at one probe (vs the good commit's build, side by side). */
export interface ProbeChange {
  cell: string;
  kind: VerdictKind;
  /** probe / good */
  ratio?: number;
  interval?: [number, number];
  side?: Side;
}

export interface BisectProbe {
  commit: string;
  subject: string;
  author: string;
  /** 0 = good … commits = bad */
  position: number;
  role: 'good' | 'bad' | 'probe';
  build: 'built' | 'skipped';
  buildMs?: number;
  /** why it was skipped */
  reason?: string;
  changes: ProbeChange[];
  /** what the bisection made of it, in words */
  decision: string;
}

export interface BisectAnswer {
  kind: 'culprit' | 'culprit-range' | 'ambiguous';
  cells: string[];
  /** the commits that may be the culprit, oldest first (one for `culprit`) */
  commits: string[];
  why?: string;
}

export type BisectOutcome = 'culprit' | 'culprit-range' | 'ambiguous' | 'split' | 'does-not-reproduce' | 'cancelled';

export interface BisectReport {
  good: string;
  bad: string;
  /** commits after good up to bad: the culprit candidates */
  commits: number;
  outcome: BisectOutcome;
  /** the full SHA of the single commit every followed cell blames; undefined otherwise */
  culprit?: string;
  /** every followed cell has the same answer */
  shared: boolean;
  followed: FollowedCell[];
  answers: BisectAnswer[];
  probes: BisectProbe[];
  /** commits that did not build or built no matching artifact */
  skipped: string[];
  builds: number;
  alpha: number;
  /** each measurement's share of alpha (alpha / budget) */
  alphaPerMeasurement: number;
  budget: number;
  /** subject and author of the commits named in `answers` */
  named: Record<string, { subject: string; author: string }>;
  message: string;
}
