import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startChildService } from '../src/local/stack/child-service';
import { PROJECT_DIR } from '../src/local/stack/python-tools';
import type { Config } from '../src/config/config';

export interface WorkerProcess {
  pid: number;
  stop(): Promise<void>;
}

/** temporal.api.enums.v1.TaskQueueType */
const WORKFLOW_TASKS = 1;
const ACTIVITY_TASKS = 2;

async function hasPollers(client: Client, taskQueue: string, type: 1 | 2): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: type,
  });
  return pollers.length > 0;
}

/**
 * The production worker, `custom-labels-batch worker`, in a process of its own configured by the
 * environment alone, as deployed. Ready once both of its task queues have pollers.
 */
export async function startWorkerProcess(
  client: Client,
  config: Config,
  env: Record<string, string>,
): Promise<WorkerProcess> {
  const service = await startChildService({
    name: 'worker',
    command: process.execPath,
    args: [join(PROJECT_DIR, 'bin/custom-labels-batch.js'), 'worker'],
    env,
    timeoutMs: 120_000,
    isReady: async () =>
      (await hasPollers(client, config.taskQueue, WORKFLOW_TASKS)) &&
      (await hasPollers(client, config.detectTaskQueue, ACTIVITY_TASKS)),
  });
  return { pid: service.process.pid!, stop: () => service.stop() };
}
