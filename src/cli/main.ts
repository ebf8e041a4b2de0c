import { Command } from 'commander';
import { registerLocalCommands } from '../local/cli';
import { registerPipelineCommands } from './pipeline-commands';
import { registerProvisionCommand } from './provision-command';
import { UserError } from '../config/user-error';

const program = new Command('custom-labels-batch')
  .description('Rekognition Custom Labels over batches of images, orchestrated by Temporal.')
  .showHelpAfterError();
registerPipelineCommands(program);
registerProvisionCommand(program);
registerLocalCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  // A user's mistake gets one clear sentence; anything else is a bug and keeps its stack.
  console.error(error instanceof UserError ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
