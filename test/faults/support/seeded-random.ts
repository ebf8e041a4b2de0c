/** A repeatable source of "random moments": the seed is printed, and FAULT_SEED=<seed> replays a run. */
export interface FaultRandom {
  seed: number;
  /** A number in [0, 1). */
  next(): number;
  between(min: number, max: number): number;
}

export function faultRandom(scenario: string): FaultRandom {
  const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.info(`${scenario}: FAULT_SEED=${seed}`);
  // mulberry32: tiny, fast, and good enough to spread fault moments.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { seed, next, between: (min, max) => min + next() * (max - min) };
}
