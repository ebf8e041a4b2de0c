import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerLocalCommand } from './local-command';
import { registerPipelineCommands } from './pipeline-commands';
import { registerProvisionCommand } from './provision-command';
import { UserError } from '../config/user-error';

/** From package.json, two levels up from src/cli and from lib/cli alike. */
function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return version;
}

async function main(args: readonly string[]): Promise<void> {
  const program = new Command('custom-labels-batch')
    .description('Rekognition Custom Labels over batches of images, orchestrated by Temporal.')
    .version(packageVersion())
    // Only before a command: `local train --version v1` names a model version.
    .enablePositionalOptions()
    .showHelpAfterError();
  registerPipelineCommands(program);
  registerProvisionCommand(program);
  registerLocalCommand(program, args);
  await program.parseAsync(args, { from: 'user' });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // A user's mistake gets one clear sentence; anything else is a bug and keeps its stack.
  console.error(error instanceof UserError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
