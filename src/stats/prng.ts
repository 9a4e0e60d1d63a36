// A tiny seeded PRNG so every resampling result (and so every verdict) is reproducible.
// mulberry32: 32-bit state, good enough statistical quality for bootstrap/permutation draws.

export type Random = () => number;

/** Uniform [0, 1) generator from a 32-bit seed. */
export function createPrng(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller), for simulations and tests. */
export function createNormalPrng(seed: number): Random {
  const uniform = createPrng(seed);
  return () => {
    const u = 1 - uniform(); // (0, 1]: log(0) is never taken
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Stable 32-bit seed from numbers (FNV-1a over their float bits), so resampling depends only on the data. */
export function seedFromData(...arrays: readonly (readonly number[])[]): number {
  const view = new DataView(new ArrayBuffer(8));
  let hash = 0x811c9dc5;
  for (const xs of arrays) {
    for (const x of xs) {
      view.setFloat64(0, x);
      for (let i = 0; i < 8; i++) hash = Math.imul(hash ^ view.getUint8(i), 0x01000193);
    }
    hash = Math.imul(hash ^ 0xff, 0x01000193); // array boundary
  }
  return hash >>> 0;
}
