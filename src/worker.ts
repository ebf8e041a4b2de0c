import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { heartbeatingWhileRunning } from './activities/heartbeats';
import { createAwsClients, resolvedRegion } from './aws-clients';
import type { Config } from './config/config';
import { installTelemetry } from './observability/telemetry';
import { WORKFLOW_INTERCEPTOR_MODULES } from './observability/workflow-interceptor-modules';
import { connectWorker, type TemporalSettings } from './temporal-connection';
import { keepHealthFile } from './worker-health';

export interface BatchWorkers {
  run(): Promise<void>;
  shutdown(): void;
  /** Both workers are polling: not yet shutting down, not failed. */
  running(): boolean;
}

/** Written by `npm run build` beside the compiled worker; absent when running the TypeScript sources. */
export const PREBUILT_WORKFLOW_BUNDLE = join(__dirname, 'workflow-bundle.js');

/**
 * On SIGTERM or SIGINT (the SDK's Runtime handles them) the workers stop polling and give in-flight
 * activities this long to finish; any still running are then cancelled, and their messages stay queued
 * for the next batch. Each takes seconds; ECS waits 2 minutes (infra/) before SIGKILL.
 */
const SHUTDOWN_GRACE_TIME = '30s';

/**
 * The bundle `npm run build` made (its interceptors bundled in), else the workflow sources with the
 * batch-metrics interceptor (bundled with webpack as the worker starts).
 */
function workflowSource(bundle: WorkerOptions['workflowBundle']): Partial<WorkerOptions> {
  if (bundle) return { workflowBundle: bundle };
  if (existsSync(PREBUILT_WORKFLOW_BUNDLE)) return { workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE } };
  return {
    workflowsPath: require.resolve('./workflows'),
    interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
  };
}

/**
 * Two workers on one connection: the workflow with every AWS activity on the main task queue, and
 * DetectCustomLabels alone on its own queue, where the server enforces `detectRateLimit` across all
 * workers — the model's throughput is a global budget, not a per-process one.
 */
export async function createBatchWorkers(options: {
  connection: NativeConnection;
  namespace: string;
  config: Pick<Config, 'taskQueue' | 'detectTaskQueue' | 'detectRateLimit' | 'concurrency'>;
  deps: ActivityDeps;
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<BatchWorkers> {
  const { connection, namespace, config, deps } = options;
  const activities = heartbeatingWhileRunning(createActivities(deps));
  const main = await Worker.create({
    connection,
    namespace,
    taskQueue: config.taskQueue,
    ...workflowSource(options.workflowBundle),
    activities,
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
  });
  const detect = await Worker.create({
    connection,
    namespace,
    taskQueue: config.detectTaskQueue,
    activities: { detectCustomLabels: activities.detectCustomLabels },
    maxTaskQueueActivitiesPerSecond: config.detectRateLimit,
    maxConcurrentActivityTaskExecutions: Math.max(config.concurrency, 1),
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
  });
  const workers = [main, detect];
  return {
    async run() {
      await Promise.all([main.run(), detect.run()]);
    },
    shutdown() {
      for (const worker of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
    },
    running() {
      return workers.every((worker) => worker.getState() === 'RUNNING');
    },
  };
}

/**
 * `custom-labels-batch worker`: runs until SIGINT/SIGTERM, finishing in-flight activities first. With
 * `healthFile`, keeps in it the time of the last check that both workers poll and Temporal answers.
 * Installs the process's Temporal Runtime first (logs, metrics): a worker process runs one worker.
 */
export async function runWorker(
  config: Config,
  temporal: TemporalSettings,
  options: { healthFile?: string } = {},
): Promise<void> {
  const logger = installTelemetry(config);
  const clients = createAwsClients(config);
  try {
    await resolvedRegion(clients);
    const { connection, namespace } = await connectWorker(temporal);
    try {
      const workers = await createBatchWorkers({ connection, namespace, config, deps: clients });
      const health =
        options.healthFile === undefined
          ? undefined
          : keepHealthFile(options.healthFile, async () => {
              if (!workers.running()) return false;
              await connection.withDeadline(Date.now() + 5_000, () =>
                connection.workflowService.getSystemInfo({}),
              );
              return true;
            });
      logger.info(
        {
          taskQueue: config.taskQueue,
          detectTaskQueue: config.detectTaskQueue,
          detectRateLimit: config.detectRateLimit,
          namespace,
          metrics: config.metricsBindAddress && `http://${config.metricsBindAddress}/metrics`,
        },
        `worker polling ${config.taskQueue} and ${config.detectTaskQueue} (${config.detectRateLimit} detections/s) in ${namespace}`,
      );
      await workers.run().finally(() => health?.stop());
    } finally {
      await connection.close();
    }
  } finally {
    clients.destroy();
  }
}
