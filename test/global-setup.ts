import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from '../src/local/stack/moto';
import { startTemporalDevServer } from '../src/local/stack/temporal-dev-server';
import { ensurePythonTools, PROJECT_DIR } from '../src/local/stack/python-tools';
import { TEST_ENV } from './support/test-env';

/** One moto, one Temporal dev server and one trained sample model per jest run, shared by every test file. */
export default async function globalSetup(): Promise<void> {
  ensurePythonTools((line) => console.log(line));
  const [moto, temporal] = await Promise.all([startMoto(), startTemporalDevServer({ headless: true })]);
  (globalThis as { __services?: unknown[] }).__services = [moto, temporal];

  const modelsDir = mkdtempSync(join(tmpdir(), 'clb-models-'));
  // Trained through the CLI in its own process: TensorFlow.js keeps engine state per process, which a
  // model loaded here would share with the test files that run in this process (--runInBand).
  const projectVersionArn = execFileSync(
    process.execPath,
    [
      join(PROJECT_DIR, 'bin/custom-labels-batch.js'),
      'local',
      'train',
      '--data',
      join(PROJECT_DIR, 'sample-data'),
      '--project',
      'sample-patterns',
      '--version',
      'test',
      '--models',
      modelsDir,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
  process.env[TEST_ENV.motoEndpoint] = moto.endpoint;
  process.env[TEST_ENV.temporalAddress] = temporal.address;
  process.env[TEST_ENV.modelsDir] = modelsDir;
  process.env[TEST_ENV.modelArn] = projectVersionArn;
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  process.env.AWS_REGION ??= 'us-east-1';
}
