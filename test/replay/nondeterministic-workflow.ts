import { proxyActivities } from '@temporalio/workflow';
import type { BatchActivities } from '../../src/activities';

const { describeModel, countQueuedMessages } = proxyActivities<BatchActivities>({
  startToCloseTimeout: '1m',
});

/** The batch workflow with its first two steps swapped: replaying real histories must reject it. */
export async function batchWorkflow(input: {
  settings: { projectVersionArn: string; queueUrl: string };
}): Promise<void> {
  await describeModel(input.settings.projectVersionArn);
  await countQueuedMessages(input.settings.queueUrl);
}
