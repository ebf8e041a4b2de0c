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

/** Whether the task queue has a poller, or with `pid` one of that process (identity `<pid>@<host>`). */
async function hasPollers(client: Client, taskQueue: string, type: 1 | 2, pid?: number): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: type,
  });
  return pollers.some((poller) => pid === undefined || poller.identity?.startsWith(`${pid}@`));
}

const POLLER_WAIT_MS = 120_000;

/**
 * The production worker, `custom-labels-batch worker`, in a process of its own configured by the
 * environment alone, as deployed. Ready once it polls both of its task queues (other workers of the
 * same queues may already be polling them).
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
    timeoutMs: POLLER_WAIT_MS,
    isReady: async () =>
      (await hasPollers(client, config.taskQueue, WORKFLOW_TASKS)) &&
      (await hasPollers(client, config.detectTaskQueue, ACTIVITY_TASKS)),
  });
  const pid = service.process.pid!;
  const deadline = Date.now() + POLLER_WAIT_MS;
  while (
    !(await hasPollers(client, config.taskQueue, WORKFLOW_TASKS, pid)) ||
    !(await hasPollers(client, config.detectTaskQueue, ACTIVITY_TASKS, pid))
  ) {
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`worker ${pid} did not poll ${config.taskQueue} within ${POLLER_WAIT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid, stop: () => service.stop() };
}
