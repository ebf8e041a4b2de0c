import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtFromCurrentSources, sourcesDigest } from '../../src/build-stamp';
import { testEnv } from '../support/test-env';

const PROJECT_DIR = join(__dirname, '../..');
const COMPILED_CLI = join(PROJECT_DIR, 'lib/cli/main.js');
const HEALTH_CHECK = join(PROJECT_DIR, 'lib/health-check.js');
/**
 * What the production worker must not load: the TypeScript loader, and what bundling workflows loads
 * (webpack's compiler, swc); @temporalio/worker loads webpack's entry, all lazy getters, regardless.
 */
const DEVELOPMENT_ONLY = [
  /[\\/]node_modules[\\/]tsx[\\/]/,
  /[\\/]node_modules[\\/]webpack[\\/]lib[\\/]Compiler\.js$/,
  /[\\/]node_modules[\\/]@swc[\\/]/,
];
const SOURCES = join(PROJECT_DIR, 'src');

// As `node lib/cli/main.js worker`, recording every module loaded by exit.
const PROBE = `
  process.on('exit', () =>
    require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache))));
  require(process.argv[1]);
`;

let dir: string;
beforeAll(() => {
  // .ci/run builds first; a build from other sources is redone, so this never passes on a stale lib/.
  if (!builtFromCurrentSources())
    execFileSync('npm', ['run', 'build'], { cwd: PROJECT_DIR, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'clb-production-build-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the compiled worker starts without tsx, the sources or webpack, is healthy, and exits 0 on SIGTERM', async () => {
  const loadedModulesFile = join(dir, 'loaded-modules.json');
  const healthFile = join(dir, 'health');
  const child = spawn(process.execPath, ['-e', PROBE, COMPILED_CLI, 'worker'], {
    cwd: dir,
    env: {
      ...process.env,
      LOADED_MODULES_FILE: loadedModulesFile,
      WORKER_HEALTH_FILE: healthFile,
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TASK_QUEUE: `production-build-${process.pid}`,
      SOURCE_BUCKET: 'images-in',
      RESULTS_BUCKET: 'images-out',
      QUEUE_URL: 'http://127.0.0.1:1/123456789012/images',
      PROJECT_VERSION_ARN: 'arn:aws:rekognition:us-east-1:123456789012:project/p/version/v1/1700000000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling')) resolve();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    void exited.then(() => reject(new Error(`the worker exited before polling:\n${output}`)));
  });
  while (!existsSync(healthFile)) await new Promise((resolve) => setTimeout(resolve, 100));
  const healthy = spawn(process.execPath, [HEALTH_CHECK], {
    env: { ...process.env, WORKER_HEALTH_FILE: healthFile },
  });
  expect(await new Promise((resolve) => healthy.once('exit', resolve))).toBe(0);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const loaded = JSON.parse(readFileSync(loadedModulesFile, 'utf8')) as string[];
  expect(loaded).toContain(join(PROJECT_DIR, 'lib/worker.js'));
  expect(loaded.filter((path) => DEVELOPMENT_ONLY.some((pattern) => pattern.test(path)))).toEqual([]);
  expect(loaded.filter((path) => path.startsWith(SOURCES))).toEqual([]);
  expect(existsSync(healthFile)).toBe(false);
});

describe('bin/', () => {
  const stampFile = join(PROJECT_DIR, 'lib/build-stamp.json');
  const loadedBy = () => {
    const file = join(dir, 'bin-modules.json');
    const bin = join(PROJECT_DIR, 'bin/custom-labels-batch.js');
    execFileSync(process.execPath, ['-e', PROBE, bin, '--version'], {
      env: { ...process.env, LOADED_MODULES_FILE: file },
    });
    return JSON.parse(readFileSync(file, 'utf8')) as string[];
  };

  it('runs the compiled output built from the current sources', () => {
    expect(loadedBy()).toContain(COMPILED_CLI);
  });

  it('runs the sources when the build was made from other ones', () => {
    const stamp = readFileSync(stampFile, 'utf8');
    try {
      writeFileSync(stampFile, JSON.stringify({ sources: 'other sources' }));
      const loaded = loadedBy();
      expect(loaded).toContain(join(SOURCES, 'cli/main.ts'));
      expect(loaded).not.toContain(COMPILED_CLI);
    } finally {
      writeFileSync(stampFile, stamp);
    }
  });
});

it('the sources digest changes with any file under src/', () => {
  const root = join(dir, 'digest');
  mkdirSync(join(root, 'src/cli'), { recursive: true });
  writeFileSync(join(root, 'src/cli/main.ts'), 'one');
  const before = sourcesDigest(root);
  writeFileSync(join(root, 'src/cli/main.ts'), 'two');
  expect(sourcesDigest(root)).not.toBe(before);
});
