import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '../../bin/custom-labels-batch.js');
const ML_PACKAGE = /[\\/]node_modules[\\/](@tensorflow[\\/]|nsfwjs[\\/]|sharp[\\/])/;
// bin/ runs lib/ when it is built from the current sources, else src/.
const LOCAL_TOOLING = /[\\/](src|lib)[\\/]local[\\/]/;

// Runs in a fresh node as `node -e PROBE BIN ...args`, so the CLI sees its usual process.argv. It records
// every module file loaded by exit (--help exits from inside commander) and, when asked, resolves the ML
// packages from an empty folder, as on an install without dev dependencies.
const PROBE = `
  const fs = require('node:fs');
  const Module = require('node:module');
  const { LOADED_MODULES_FILE, EMPTY_NODE_MODULES } = process.env;
  process.on('exit', () => fs.writeFileSync(LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache))));
  if (EMPTY_NODE_MODULES) {
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, isMain, options) {
      const mlPackage = /^(@tensorflow\\/|nsfwjs$|sharp$)/.test(request);
      return resolve.call(this, request, parent, isMain, mlPackage ? { paths: [EMPTY_NODE_MODULES] } : options);
    };
  }
  require(process.argv[1]);
`;

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  loadedModules: string[];
}

function runCli(args: string[], { withoutMlPackages = false } = {}): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'clb-production-entry-'));
  try {
    const loadedModulesFile = join(dir, 'loaded-modules.json');
    const child = spawnSync(process.execPath, ['-e', PROBE, BIN, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        LOADED_MODULES_FILE: loadedModulesFile,
        EMPTY_NODE_MODULES: withoutMlPackages ? dir : '',
      },
    });
    const loadedModules = JSON.parse(readFileSync(loadedModulesFile, 'utf8')) as string[];
    return { status: child.status, stdout: child.stdout, stderr: child.stderr, loadedModules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('production entry points', () => {
  it.each(['worker', 'run', 'schedule create', 'provision', 'status'])(
    '`%s` loads neither src/local nor TensorFlow.js, nsfwjs or sharp',
    (command) => {
      const run = runCli([...command.split(' '), '--help']);

      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: custom-labels-batch ${command} [options]`);
      expect(run.loadedModules.filter((path) => ML_PACKAGE.test(path))).toEqual([]);
      expect(run.loadedModules.filter((path) => LOCAL_TOOLING.test(path))).toEqual([]);
    },
  );

  it('the top-level help still lists `local` without loading it', () => {
    const run = runCli(['--help']);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}local +Local stand-ins for AWS/m);
    expect(run.loadedModules.filter((path) => LOCAL_TOOLING.test(path))).toEqual([]);
  });

  it('`local …` loads the local tooling and the ML packages (the checks above can fail)', () => {
    const run = runCli(['local', '--help']);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}train \[options\]/m);
    expect(run.loadedModules.some((path) => LOCAL_TOOLING.test(path))).toBe(true);
    expect(run.loadedModules.some((path) => ML_PACKAGE.test(path))).toBe(true);
  });

  it('`local …` without the dev dependencies says in one sentence what to do', () => {
    const run = runCli(['local', '--help'], { withoutMlPackages: true });

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: the local tooling needs the dev dependencies (TensorFlow.js, nsfwjs, sharp), which this install left out: run npm install.\n',
    );
  });
});
