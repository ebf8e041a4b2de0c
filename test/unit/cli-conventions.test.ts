import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBatchNow } from '../../src/batch-runs';
import { loadConfig } from '../../src/config/config';
import { scheduleHandle } from '../../src/schedule';
import { connectToTestTemporal, uniqueTaskQueue } from '../support/temporal';

const PROJECT_DIR = join(__dirname, '../..');
const MODEL = 'arn:aws:rekognition:us-east-1:123456789012:project/cli/version/v1/1700000000000';
/** Nothing listens there: a command that connected before failing would say it cannot reach Temporal. */
const NOWHERE = '127.0.0.1:1';
const TEMPORAL_FLAGS = [
  '--address',
  '--namespace',
  '--api-key',
  '--tls',
  '--tls-cert-path',
  '--tls-key-path',
  '--tls-ca-path',
  '--tls-server-name',
  '--profile',
  '--config-file',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clb-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(PROJECT_DIR, 'bin/custom-labels-batch.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dir, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

it('--version prints the package version, before a command only', () => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(cli(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
  // After `local train`, --version names the model version to train.
  expect(cli(['local', 'train', '--version', 'v1', '--help']).stdout).toContain(
    'Usage: custom-labels-batch local train',
  );
});

it.each(['worker', 'run', 'schedule create', 'status'])(
  '`%s --help` lists the Temporal connection flags as the temporal CLI names them',
  (command) => {
    const { stdout } = cli([...command.split(' '), '--help']);
    for (const flag of TEMPORAL_FLAGS) expect(stdout).toMatch(new RegExp(`^ +${flag}\\b`, 'm'));
  },
);

it('`provision --help`, which never connects to Temporal, lists none of them', () => {
  expect(cli(['provision', '--help']).stdout).not.toContain('--address');
});

it('a malformed Temporal config file, or a missing profile, is one sentence before any connection', () => {
  const malformed = join(dir, 'malformed.toml');
  writeFileSync(malformed, '[profile.default\naddress = "x"\n');
  const wellFormed = join(dir, 'temporal.toml');
  writeFileSync(wellFormed, '[profile.default]\naddress = "127.0.0.1:1"\n');
  const describe = ['schedule', 'describe', '--project-version-arn', MODEL];

  expect(cli([...describe, '--config-file', malformed])).toEqual({
    status: 1,
    stdout: '',
    stderr: `error: ${malformed} is not valid TOML (line 1: illegal character in key).\n`,
  });
  expect(cli([...describe, '--profile', 'cloud'], { TEMPORAL_CONFIG_FILE: wellFormed })).toEqual({
    status: 1,
    stdout: '',
    stderr: `error: --profile cloud: ${wellFormed} has no profile "cloud".\n`,
  });
});

it('validates the settings before connecting, naming a typed flag as the flag', () => {
  const { status, stderr } = cli(['schedule', 'create', '--address', NOWHERE, '--concurrency', '0'], {
    SOURCE_BUCKET: 'images-in',
    RESULTS_BUCKET: 'images-out',
    QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/images',
    PROJECT_VERSION_ARN: MODEL,
  });
  expect(status).toBe(1);
  expect(stderr).toBe(
    'error: invalid configuration:\n  --concurrency must be a whole number from 1 to 500; got "0".\n',
  );
});

it('`run` tells when it creates the schedule, and only then', async () => {
  const temporal = await connectToTestTemporal();
  const config = loadConfig({
    SOURCE_BUCKET: 'cli-in',
    RESULTS_BUCKET: 'cli-out',
    QUEUE_URL: 'http://localhost:5000/123456789012/cli',
    PROJECT_VERSION_ARN: `arn:aws:rekognition:us-east-1:123456789012:project/cli/version/v${Date.now()}/1700000000000`,
    TASK_QUEUE: uniqueTaskQueue('cli'),
  });
  const created: string[] = [];
  const handle = scheduleHandle(temporal.client, config);
  try {
    // No worker polls this task queue: each batch just waits, and the second start finds the first.
    const first = await startBatchNow(temporal.client, config, (id) => created.push(id));
    await startBatchNow(temporal.client, config, (id) => created.push(id));
    expect(created).toEqual([handle.scheduleId]);
    await first.terminate('test over');
  } finally {
    await handle.delete();
    await temporal.close();
  }
});
