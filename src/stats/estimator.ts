// The default ChangeEstimator: rank-based, exact at small n (see paired.ts and unpaired.ts for why).
import type { ChangeEstimator } from './change.js';
import { pairedChange } from './paired.js';
import { unpairedChange } from './unpaired.js';

export const rankEstimator: ChangeEstimator = ({ baseline, candidate, paired, confidence }) =>
  paired ? pairedChange(baseline, candidate, confidence) : unpairedChange(baseline, candidate, confidence);

export default rankEstimator;
