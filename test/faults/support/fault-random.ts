import { seededRandom } from '../../../src/local/model/seeded-random';

/** A repeatable source of "random moments": the seed is printed, and FAULT_SEED=<seed> replays a run. */
export interface FaultRandom {
  /** A number in [min, max). */
  between(min: number, max: number): number;
}

export function faultRandom(scenario: string): FaultRandom {
  const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.info(`${scenario}: FAULT_SEED=${seed}`);
  const next = seededRandom(seed);
  return { between: (min, max) => min + next() * (max - min) };
}
