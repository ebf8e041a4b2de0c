import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../config/user-error';

export const PROJECT_DIR = resolve(__dirname, '../../..');
const VENV_DIR = join(PROJECT_DIR, '.venv');
const REQUIREMENTS = join(PROJECT_DIR, 'requirements-local.txt');
const INSTALLED_MARKER = join(VENV_DIR, '.installed-requirements');

export function venvBinary(name: string): string {
  return join(VENV_DIR, 'bin', name);
}

/**
 * Installs the pinned Python tools (moto, …) into the project's git-ignored .venv when missing or
 * when requirements-local.txt changed. Never touches the system Python.
 */
export function ensurePythonTools(log: (line: string) => void = () => undefined): void {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(INSTALLED_MARKER) && readFileSync(INSTALLED_MARKER, 'utf8') === wanted) return;

  const python = process.env.PYTHON ?? 'python3';
  if (spawnSync(python, ['--version']).error) {
    throw new UserError(
      `${python} was not found: install Python 3.9 or newer with pip and venv (e.g. apt install python3 python3-venv), or set PYTHON to its path.`,
    );
  }
  if (!existsSync(venvBinary('pip'))) {
    log(`creating ${VENV_DIR}`);
    run(
      python,
      ['-m', 'venv', VENV_DIR],
      'Creating the virtualenv failed: install the venv module (e.g. apt install python3-venv) and run `npm run setup` again.',
    );
  }
  log(`installing ${REQUIREMENTS} into ${VENV_DIR} (once)`);
  run(
    venvBinary('pip'),
    ['install', '--disable-pip-version-check', '-q', '-r', REQUIREMENTS],
    'Installing the Python tools failed (see pip output above): check that PyPI is reachable and run `npm run setup` again.',
  );
  writeFileSync(INSTALLED_MARKER, wanted);
}

function run(command: string, args: string[], whatToDo: string): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error || result.status !== 0) throw new UserError(whatToDo);
}
