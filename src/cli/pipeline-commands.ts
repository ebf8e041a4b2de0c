import { Option, type Command } from 'commander';
import { followBatch, latestBatch, startBatchNow } from '../batch-runs';
import { SETTINGS, type Config, type SettingKey } from '../config/config';
import { batchCostLines } from '../cost/batch-cost-lines';
import { pricesFrom } from '../cost/prices';
import { parseDuration, type DurationText } from '../config/duration';
import { UserError } from '../config/user-error';
import {
  describeCadence,
  scheduleHandle,
  triggerBatch,
  upsertSchedule,
  DEFAULT_CADENCE,
  type Cadence,
} from '../schedule';
import { connectClient } from '../temporal-connection';
import { progressQuery, type batchWorkflow } from '../workflows';
import { runWorker } from '../worker';
import { addConfigOptions, configFromOptions } from './config-options';
import { createProgressPrinter, progressLine } from './progress-line';
import { statusLog } from './status-log';
import { addTemporalOptions, temporalSettingsFromOptions } from './temporal-options';

const ALL_SETTINGS = Object.keys(SETTINGS) as SettingKey[];
const MODEL_ONLY = ['projectVersionArn'] as const;

type Options = Record<string, unknown>;

function fullConfig(options: Options): Config {
  return configFromOptions(options, ALL_SETTINGS);
}

/**
 * Runs `work` with a Temporal client, closing the connection afterwards. The connection settings are
 * validated before connecting, as the command's settings must be before this is called.
 */
async function withClient<T>(
  options: Options,
  work: (client: Awaited<ReturnType<typeof connectClient>>['client']) => Promise<T>,
): Promise<T> {
  const temporal = await connectClient(temporalSettingsFromOptions(options));
  try {
    return await work(temporal.client);
  } finally {
    await temporal.close();
  }
}

function cadenceText(cadence: Cadence): string {
  return 'every' in cadence ? `every ${cadence.every}` : `cron "${cadence.cron}"`;
}

/** A command that connects to Temporal: its settings' flags and the Temporal connection flags. */
function connecting(command: Command, keys: readonly SettingKey[]): Command {
  return addTemporalOptions(addConfigOptions(command, keys));
}

function cadenceFrom(options: Options): Cadence {
  const { every, cron } = options as { every?: string; cron?: string };
  if (every && cron) throw new UserError('give --every or --cron, not both.');
  if (cron) return { cron };
  if (every) {
    parseDuration(every, '--every');
    return { every: every as DurationText };
  }
  return DEFAULT_CADENCE;
}

/** `worker`, `schedule …`, `run` and `status`: the pipeline's own commands. */
export function registerPipelineCommands(program: Command): void {
  connecting(
    program
      .command('worker')
      .description('Run the worker (workflow + activities) until Ctrl-C or SIGTERM.')
      .addOption(
        new Option(
          '--health-file <path>',
          'keep in this file the time of the last passing health check (`node lib/health-check.js <path>` reads it)',
        ).env('WORKER_HEALTH_FILE'),
      ),
    ALL_SETTINGS,
  ).action((options: Options) => {
    const config = fullConfig(options);
    const temporal = temporalSettingsFromOptions(options);
    return runWorker(config, temporal, { healthFile: options.healthFile as string | undefined });
  });

  const schedule = program
    .command('schedule')
    .description('Manage the schedule that starts batches (one per model).');
  for (const name of ['create', 'update']) {
    connecting(
      schedule
        .command(name)
        .description(
          `${name === 'create' ? 'Create' : 'Update'} the schedule (an idempotent upsert either way); default every hour.`,
        )
        .option('--every <duration>', 'interval, e.g. 1h or 30m')
        .option('--cron <expression>', 'cron expression, e.g. "0 * * * *"'),
      ALL_SETTINGS,
    ).action((options: Options) => {
      const config = fullConfig(options);
      const cadence = cadenceFrom(options);
      return withClient(options, async (client) => {
        const outcome = await upsertSchedule(client, config, cadence);
        console.log(
          `schedule ${scheduleHandle(client, config).scheduleId} ${outcome} (${cadenceText(cadence)})`,
        );
      });
    });
  }
  const simple: Array<
    [
      string,
      string,
      string,
      (handle: ReturnType<typeof scheduleHandle>, options: Options) => Promise<unknown>,
    ]
  > = [
    [
      'pause',
      'paused',
      'Pause the schedule (no batches start until unpaused).',
      (h, o) => h.pause(o.note as string | undefined),
    ],
    ['unpause', 'unpaused', 'Resume the schedule.', (h, o) => h.unpause(o.note as string | undefined)],
    ['delete', 'deleted', 'Delete the schedule (running batches finish).', (h) => h.delete()],
  ];
  for (const [name, done, description, act] of simple) {
    connecting(
      schedule.command(name).description(description).option('--note <text>', 'why, shown in the UI'),
      MODEL_ONLY,
    ).action((options: Options) => {
      const model = configFromOptions(options, MODEL_ONLY);
      return withClient(options, async (client) => {
        const handle = scheduleHandle(client, model);
        await act(handle, options);
        console.log(`schedule ${handle.scheduleId} ${done}`);
      });
    });
  }
  connecting(
    schedule.command('trigger').description('Start a batch now (skipped if one is running).'),
    MODEL_ONLY,
  ).action((options: Options) => {
    const model = configFromOptions(options, MODEL_ONLY);
    return withClient(options, async (client) => {
      await triggerBatch(client, model);
      console.log('triggered (skipped if a batch for this model is already running)');
    });
  });
  connecting(
    schedule
      .command('describe')
      .description('Show the schedule: cadence, state, recent and running batches.'),
    MODEL_ONLY,
  ).action((options: Options) => {
    const model = configFromOptions(options, MODEL_ONLY);
    return withClient(options, async (client) => {
      const handle = scheduleHandle(client, model);
      const description = await handle.describe();
      console.log(
        JSON.stringify(
          {
            scheduleId: handle.scheduleId,
            cadence: describeCadence(description),
            paused: description.state.paused,
            note: description.state.note,
            overlap: description.policies.overlap,
            nextRuns: description.info.nextActionTimes.slice(0, 3),
            running: description.info.runningActions.map((a) => a.workflow.workflowId),
            recent: description.info.recentActions
              .slice(-5)
              .map((a) => ({ at: a.takenAt, workflowId: a.action.workflow.workflowId })),
          },
          null,
          2,
        ),
      );
    });
  });

  connecting(
    program
      .command('run')
      .description(
        'Start a batch now through the schedule and follow it to the end; prints the summary as JSON, and its cost on stderr.',
      ),
    ALL_SETTINGS,
  ).action((options: Options) => {
    const config = fullConfig(options);
    return withClient(options, async (client) => {
      const log = statusLog(config.logFormat);
      const handle = await startBatchNow(client, config, (scheduleId) =>
        log.info(
          `created schedule ${scheduleId} (${cadenceText(DEFAULT_CADENCE)}): batches now also start on their own; \`schedule pause\` or \`schedule delete\` stops that`,
        ),
      );
      log.info(`following ${handle.workflowId}`);
      const printer = createProgressPrinter(log);
      const summary = await followBatch(handle, (progress) =>
        printer.update(progressLine(progress, progress.queuedAtStart), progress),
      ).finally(() => printer.finish());
      console.log(JSON.stringify(summary));
      if (summary.queueWasEmpty) return;
      for (const line of await batchCostLines(client, handle.workflowId, summary, pricesFrom(config))) {
        log.info(line);
      }
    });
  });

  connecting(
    program
      .command('status')
      .description("Show a batch's progress (default: the schedule's running or latest batch).")
      .option('--workflow-id <id>', 'a specific batch'),
    MODEL_ONLY,
  ).action((options: Options) => {
    const model = options.workflowId ? undefined : configFromOptions(options, MODEL_ONLY);
    return withClient(options, async (client) => {
      const handle = model
        ? await latestBatch(client, model)
        : client.workflow.getHandle<typeof batchWorkflow>(options.workflowId as string);
      if (!handle) throw new UserError('the schedule has not started any batch yet: `run` starts one now.');
      const { status } = await handle.describe();
      const progress = await handle.query(progressQuery).catch(() => undefined);
      const summary = status.name === 'COMPLETED' ? await handle.result() : undefined;
      console.log(
        JSON.stringify({ workflowId: handle.workflowId, status: status.name, progress, summary }, null, 2),
      );
    });
  });
}
