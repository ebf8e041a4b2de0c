import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthProblem, HEALTH_INTERVAL_MS, keepHealthFile } from '../../src/worker-health';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clb-health-'));
  file = join(dir, 'health');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

it('is healthy while the worker passes its checks, and not once it stops', async () => {
  const keeper = keepHealthFile(file, () => Promise.resolve(true));
  await settle();
  expect(healthProblem(file)).toBeUndefined();

  keeper.stop();
  expect(healthProblem(file)).toMatch(/^no .*health: the worker has not passed a health check yet/);
});

it('is not healthy when the checks fail or hang, nor when the last pass is older than three rounds', async () => {
  const failing = keepHealthFile(file, () => Promise.reject(new Error('Temporal unreachable')));
  const hung = keepHealthFile(join(dir, 'hung'), () => new Promise<boolean>(() => undefined));
  await settle();
  failing.stop();
  hung.stop();
  expect(healthProblem(file)).toBeDefined();
  expect(healthProblem(join(dir, 'hung'))).toBeDefined();

  const passedAt = Date.now();
  writeFileSync(file, String(passedAt));
  expect(healthProblem(file, passedAt + 3 * HEALTH_INTERVAL_MS)).toBeUndefined();
  expect(healthProblem(file, passedAt + 3 * HEALTH_INTERVAL_MS + 1_000)).toBe(
    'the worker last passed a health check 31 s ago (more than 30 s).',
  );
});
