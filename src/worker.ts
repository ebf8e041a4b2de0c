import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { heartbeatingWhileRunning } from './activities/heartbeats';
import { createAwsClients } from './aws-clients';
import type { Config } from './config/config';
import { connectWorker } from './temporal-connection';

export interface BatchWorkers {
  run(): Promise<void>;
  shutdown(): void;
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
  const workflowSource = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: require.resolve('./workflows') };
  const main = await Worker.create({
    connection,
    namespace,
    taskQueue: config.taskQueue,
    ...workflowSource,
    activities,
  });
  const detect = await Worker.create({
    connection,
    namespace,
    taskQueue: config.detectTaskQueue,
    activities: { detectCustomLabels: activities.detectCustomLabels },
    maxTaskQueueActivitiesPerSecond: config.detectRateLimit,
    maxConcurrentActivityTaskExecutions: Math.max(config.concurrency, 1),
  });
  return {
    async run() {
      await Promise.all([main.run(), detect.run()]);
    },
    shutdown() {
      for (const worker of [main, detect]) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
    },
  };
}

/** `custom-labels-batch worker`: runs until SIGINT/SIGTERM, finishing in-flight activities first. */
export async function runWorker(config: Config): Promise<void> {
  const clients = createAwsClients(config);
  const { connection, namespace } = await connectWorker();
  try {
    const workers = await createBatchWorkers({ connection, namespace, config, deps: clients });
    console.log(
      `worker polling ${config.taskQueue} and ${config.detectTaskQueue} (${config.detectRateLimit} detections/s) in ${namespace}`,
    );
    await workers.run();
  } finally {
    await connection.close();
    clients.destroy();
  }
}
