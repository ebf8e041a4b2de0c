import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { heartbeatingWhileRunning } from './activities/heartbeats';
import { createAwsClients, resolvedRegion } from './aws-clients';
import type { Config } from './config/config';
import { installTelemetry, metricsDestination } from './observability/telemetry';
import { installTracing, type Tracing } from './observability/tracing';
import { workflowInterceptorModules } from './observability/workflow-interceptor-modules';
import { connectWorker, type TemporalSettings } from './temporal-connection';
import { keepHealthFile } from './worker-health';

export interface BatchWorkers {
  run(): Promise<void>;
  shutdown(): void;
  /** Both workers are polling: not yet shutting down, not failed. */
  running(): boolean;
}

/**
 * Written by `npm run build` beside the compiled worker, one without and one with the tracing
 * interceptors; absent when running the TypeScript sources.
 */
export function prebuiltWorkflowBundle(traced: boolean): string {
  return join(__dirname, traced ? 'workflow-bundle-traced.js' : 'workflow-bundle.js');
}

/**
 * On SIGTERM or SIGINT (the SDK's Runtime handles them) the workers stop polling and give in-flight
 * activities this long to finish; any still running are then cancelled, and their messages stay queued
 * for the next batch. Each takes seconds; ECS waits 2 minutes (infra/) before SIGKILL.
 */
const SHUTDOWN_GRACE_TIME = '30s';

/**
 * A batch task waiting on the sticky queue of a worker that died is moved to the shared queue after
 * this (the SDK's default is 10s). Meanwhile a query is answered by another worker from the history,
 * and that worker is handed the waiting task's events early (sdk-core 1.24), so its next decisions may
 * not replay: the shorter the wait, the rarer that is. A live worker takes its sticky tasks in
 * milliseconds.
 */
const STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT = '2s';

/**
 * A batch whose history no longer replays on this code (see above, or a deployment without patched())
 * fails at once instead of retrying its task forever: a stuck batch would hold the model RUNNING and,
 * with overlap SKIP, keep every later batch from starting. Failed, it leaves its messages queued and its
 * tagged model to the next batch, which stops it.
 */
const FAIL_RUNS_THAT_NO_LONGER_REPLAY: WorkerOptions['workflowFailureErrorTypes'] = {
  '*': ['NondeterminismError'],
};

/**
 * The bundle `npm run build` made (its interceptors bundled in), else the workflow sources with the
 * batch-metrics interceptor, and the tracing ones when traced (bundled with webpack as the worker starts).
 */
function workflowSource(
  bundle: WorkerOptions['workflowBundle'],
  traced: boolean,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> & { workflowModules?: string[] } {
  if (bundle) return { workflowBundle: bundle };
  const prebuilt = prebuiltWorkflowBundle(traced);
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  return {
    workflowsPath: require.resolve('./workflows'),
    workflowModules: workflowInterceptorModules(traced),
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
  /** A workflow bundle made by the caller: with the tracing interceptors if `tracing` is given. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tracing?: Tracing;
}): Promise<BatchWorkers> {
  const { connection, namespace, config, deps, tracing } = options;
  // Batches learn their model's throughput from earlier batches, read through the worker's connection.
  const temporal = new Client({ connection, namespace });
  const activities = heartbeatingWhileRunning(createActivities({ temporal, ...deps }));
  const { workflowModules, ...source } = workflowSource(options.workflowBundle, tracing !== undefined);
  const activityInterceptors = tracing?.activityInterceptors;
  const main = await Worker.create({
    connection,
    namespace,
    taskQueue: config.taskQueue,
    ...source,
    interceptors: { workflowModules, activity: activityInterceptors },
    sinks: tracing?.sinks,
    activities,
    shutdownGraceTime: SHUTDOWN_GRACE_TIME,
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT,
    workflowFailureErrorTypes: FAIL_RUNS_THAT_NO_LONGER_REPLAY,
  });
  const detect = await Worker.create({
    connection,
    namespace,
    taskQueue: config.detectTaskQueue,
    interceptors: { activity: activityInterceptors },
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
  const tracing = config.otlpEndpoint === undefined ? undefined : installTracing(config.otlpEndpoint);
  const clients = createAwsClients(config);
  try {
    await resolvedRegion(clients);
    const { connection, namespace } = await connectWorker(temporal);
    try {
      const workers = await createBatchWorkers({ connection, namespace, config, deps: clients, tracing });
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
          metrics: metricsDestination(config),
          traces: config.otlpEndpoint,
        },
        `worker polling ${config.taskQueue} and ${config.detectTaskQueue} (${config.detectRateLimit} detections/s) in ${namespace}`,
      );
      await workers.run().finally(() => health?.stop());
    } finally {
      await connection.close();
    }
  } finally {
    clients.destroy();
    await tracing?.shutdown();
  }
}
