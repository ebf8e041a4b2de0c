import type { Command } from 'commander';
import { UserError } from '../config/user-error';

type LocalTooling = typeof import('../local/cli');

/**
 * `local …`: the local tooling loads TensorFlow.js, nsfwjs and sharp, dev dependencies a production install
 * leaves out, so its subcommands are loaded only when the user asks for them.
 */
export function registerLocalCommand(program: Command, args: readonly string[]): void {
  const local = program
    .command('local')
    .description('Local stand-ins for AWS: a Rekognition Custom Labels server.');
  if (asksFor(local.name(), args)) {
    loadLocalTooling().addLocalSubcommands(local);
  }
}

/** `local …` or `help local`: the top-level program takes no option but --help, so a command comes first. */
function asksFor(command: string, args: readonly string[]): boolean {
  const [first, second] = args;
  return first === command || (first === 'help' && second === command);
}

function loadLocalTooling(): LocalTooling {
  try {
    // require, not import(): under tsx/cjs (bin/) a dynamic import() goes to Node's ESM loader, which
    // cannot load TypeScript.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../local/cli') as LocalTooling;
  } catch (error) {
    if (isMissingPackage(error)) {
      throw new UserError(
        'the local tooling needs the dev dependencies (TensorFlow.js, nsfwjs, sharp), which this install left out: run npm install.',
      );
    }
    throw error;
  }
}

/** A package (not one of our own files) that is not installed. */
function isMissingPackage(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
    /^Cannot find module '[^./]/.test(error.message)
  );
}
