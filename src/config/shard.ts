// The `shard` input: this job's share of the cells as k/n (see pipeline/partition.ts for which cells).
import { InputError } from '../model/input-error.js';

export interface ShardSpec {
  /** 1-based */
  index: number;
  count: number;
}

const MAX_SHARDS = 256;

/** `k/n` with 1 ≤ k ≤ n ≤ 256; empty = not sharded. */
export function parseShard(text: string): ShardSpec | undefined {
  if (!text) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new InputError(
      'shard',
      `'${text.slice(0, 40)}' is not a shard k/n`,
      "Give this job's share as k/n, e.g. '${{ matrix.shard }}/4' with 1 ≤ k ≤ n ≤ 256.",
    );
  }
  return { index, count };
}
