// The bisection's answer in report form: the cells' answers with commit SHAs, the one culprit when every
// followed cell blames the same commit, and a one-line message.
import type { Answer } from './core.js';
import type { FollowedCell } from './decide.js';
import { commitInfo } from './repo.js';
import type { BisectOutcome, BisectProbe, BisectReport } from './types.js';

export interface OutcomeInput {
  cwd: string;
  commits: readonly string[];
  followed: FollowedCell[];
  found: Answer[];
  probes: BisectProbe[];
  builds: number;
  alpha: number;
  share: number;
  budget: number;
  cancelled?: string;
}

export async function summarize(x: OutcomeInput): Promise<BisectReport> {
  const answers = x.found.map((a) => ({
    kind: a.kind,
    cells: a.cells,
    commits: x.commits.slice(a.from, a.to + 1),
    ...(a.why ? { why: a.why } : {}),
  }));
  const outcome = outcomeOf(x);
  const culprit = outcome === 'culprit' ? answers[0]!.commits[0] : undefined;
  const named: BisectReport['named'] = {};
  for (const sha of new Set(answers.flatMap((a) => (a.commits.length <= 5 ? a.commits : [])))) {
    const info = await commitInfo(x.cwd, sha);
    named[sha] = { subject: info.subject, author: info.author };
  }
  return {
    good: x.commits[0]!,
    bad: x.commits[x.commits.length - 1]!,
    commits: x.commits.length - 1,
    outcome,
    ...(culprit ? { culprit } : {}),
    shared: answers.length === 1,
    followed: x.followed,
    answers,
    probes: x.probes,
    skipped: x.probes.filter((p) => p.build === 'skipped').map((p) => p.commit),
    builds: x.builds,
    alpha: x.alpha,
    alphaPerMeasurement: x.share,
    budget: x.budget,
    named,
    message: messageOf(outcome, answers, culprit),
  };
}

function outcomeOf(x: OutcomeInput): BisectOutcome {
  if (x.cancelled !== undefined) return 'cancelled';
  if (x.followed.length === 0) return 'does-not-reproduce';
  if (x.found.length > 1) return 'split';
  return x.found[0]!.kind;
}

function messageOf(outcome: BisectOutcome, answers: BisectReport['answers'], culprit?: string): string {
  const short = (s: string) => s.slice(0, 12);
  const range = (c: readonly string[]) => (c.length === 1 ? short(c[0]!) : `${short(c[0]!)}..${short(c.at(-1)!)}`);
  switch (outcome) {
    case 'culprit':
      return `culprit: ${culprit}`;
    case 'culprit-range':
      return `culprit in ${range(answers[0]!.commits)} (${answers[0]!.commits.length} adjacent commits; the ones between did not build)`;
    case 'ambiguous':
      return `no single culprit: the change lies in ${range(answers[0]!.commits)} (${answers[0]!.why})`;
    case 'split':
      return `the cells have different answers: ${answers.map((a) => `${a.cells.join(', ')} → ${range(a.commits)}`).join('; ')}`;
    case 'does-not-reproduce':
      return 'the change does not reproduce: good and bad do not differ beyond the threshold on this runner';
    case 'cancelled':
      return 'cancelled before the bisection finished';
  }
}
