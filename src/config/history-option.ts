// The `history` input: `baseline` (history only in the baseline document) or `branch:NAME` (also kept on a
// git branch). The branch name is checked here, before measuring, against git's own ref-name rules.
import type { RawInputs } from './inputs.js';
import { InputError } from '../model/input-error.js';
import { parseCount, positiveDuration } from './threshold.js';

const FIX = 'Use `baseline` or `branch:NAME` with a valid git branch name, e.g. `branch:perf-history`.';

/** The branch to keep history on, or undefined for `baseline`. */
export function parseHistoryOption(value: string): string | undefined {
  if (value === 'baseline') return undefined;
  if (!value.startsWith('branch:')) throw new InputError('history', `unknown value '${value}'`, FIX);
  const name = value.slice('branch:'.length).trim();
  const problem = branchNameProblem(name);
  if (problem) throw new InputError('history', `'${name}' is not a usable branch name (${problem})`, FIX);
  return name;
}

/** Why `name` is not a branch git accepts (`git check-ref-format --branch`), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > 200) return 'longer than 200 characters';
  if ([...name].some((c) => c <= ' ' || c === '\u007f') || /[~^:?*[\\]/.test(name))
    return 'spaces, control characters and ~ ^ : ? * [ \\ are not allowed';
  if (name.startsWith('-')) return 'it starts with -';
  if (name === '@' || name.includes('@{')) return '@ alone and @{ are not allowed';
  if (name === 'HEAD') return 'HEAD is not a branch';
  if (name.includes('..')) return '.. is not allowed';
  if (name.endsWith('.') || name.endsWith('/')) return 'it ends with . or /';
  for (const part of name.split('/')) {
    if (part === '') return 'it has an empty path component (//, or a leading /)';
    if (part.startsWith('.')) return 'a component starts with .';
    if (part.endsWith('.lock')) return 'a component ends with .lock';
  }
  return undefined;
}

/** `git-timeout` and `history-push-attempts`: each git command's limit and the pushes tried against a moving branch. */
export function historyGitOptions(inputs: Pick<RawInputs, 'git-timeout' | 'history-push-attempts'>): {
  timeoutMs: number;
  attempts: number;
} {
  const attempts = parseCount(inputs['history-push-attempts'], 'history-push-attempts', 1);
  if (attempts > 20)
    throw new InputError(
      'history-push-attempts',
      `${attempts} is more than 20`,
      'Give 1 to 20: each attempt costs a fetch and a push, up to git-timeout each.',
    );
  return { timeoutMs: positiveDuration(inputs['git-timeout'], 'git-timeout', '60s'), attempts };
}
