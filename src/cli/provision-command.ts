import type { Command } from 'commander';
import { createAwsClients } from '../aws-clients';
import { loadConfigSubset } from '../config/config';
import { integer } from '../config/settings-spec';
import { DEFAULT_MAX_RECEIVE_COUNT, provisionRequestFromConfig, provisionResources } from '../provision';
import { addConfigOptions, configFromOptions } from './config-options';
import { statusLog } from './status-log';

const PROVISION_SETTINGS = [
  'sourceBucket',
  'resultsBucket',
  'queueUrl',
  'deadLetterQueueUrl',
  'messageVisibilityTimeoutMs',
  'awsRegion',
  'awsEndpointUrl',
] as const;

/** `provision`: creates or converges the buckets, queues, queue policy and bucket notification. */
export function registerProvisionCommand(program: Command): void {
  const command = program
    .command('provision')
    .description(
      'Create the source and results buckets, the queue and its dead-letter queue, the queue policy and the source bucket notification; re-running brings them back in line. Prints the resulting settings as env lines.',
    )
    .option(
      '--max-receive-count <n>',
      'deliveries of a message before it moves to the dead-letter queue',
      String(DEFAULT_MAX_RECEIVE_COUNT),
    );
  addConfigOptions(command, PROVISION_SETTINGS).action(async (options: Record<string, unknown>) => {
    const config = configFromOptions(options, PROVISION_SETTINGS);
    const maxReceiveCount = integer(1, 1_000)(String(options.maxReceiveCount), '--max-receive-count');
    const clients = createAwsClients({ ...config, rekognitionEndpointUrl: undefined });
    const log = statusLog(loadConfigSubset(process.env, {}, ['logFormat']).logFormat);
    try {
      const result = await provisionResources(
        clients,
        provisionRequestFromConfig(config, { maxReceiveCount, log: (line) => log.info(line) }),
      );
      log.info(
        `done: ${result.created.length} created, ${result.updated.length} updated, ${result.existing.length} already in place. The pipeline's settings:`,
      );
      // On stdout alone, so `provision >> .env` keeps exactly these.
      console.log(
        [
          `QUEUE_URL=${result.queueUrl}`,
          `DEAD_LETTER_QUEUE_URL=${result.deadLetterQueueUrl}`,
          `SOURCE_BUCKET=${config.sourceBucket}`,
          `RESULTS_BUCKET=${config.resultsBucket}`,
        ].join('\n'),
      );
    } finally {
      clients.destroy();
    }
  });
}
