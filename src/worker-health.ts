import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** A running worker proves itself this often; a proof older than three rounds means it is not healthy. */
export const HEALTH_INTERVAL_MS = 10_000;
const HEALTH_MAX_AGE_MS = 3 * HEALTH_INTERVAL_MS;

/**
 * Writes the time to `path` after every check that passes; a failing or hung check leaves the file to
 * age, so the health check sees a stuck worker as well as a dead one.
 */
export function keepHealthFile(
  path: string,
  check: () => Promise<boolean>,
  intervalMs = HEALTH_INTERVAL_MS,
): { stop(): void } {
  let stopped = false;
  const round = async () => {
    const healthy = await check().catch(() => false);
    if (healthy && !stopped) writeFileSync(path, String(Date.now()));
  };
  void round();
  const timer = setInterval(() => void round(), intervalMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      rmSync(path, { force: true });
    },
  };
}

/** Why the worker keeping `path` is not healthy, in one sentence; undefined when it is. */
export function healthProblem(path: string, now = Date.now()): string | undefined {
  let passedAt: number;
  try {
    passedAt = Number(readFileSync(path, 'utf8'));
  } catch {
    return `no ${path}: the worker has not passed a health check yet (or is not running).`;
  }
  const ageMs = now - passedAt;
  if (Number.isFinite(ageMs) && ageMs <= HEALTH_MAX_AGE_MS) return undefined;
  return `the worker last passed a health check ${Math.round(ageMs / 1000)} s ago (more than ${HEALTH_MAX_AGE_MS / 1000} s).`;
}
