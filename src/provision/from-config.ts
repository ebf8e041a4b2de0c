import type { Config } from '../config/config';
import { sqsSeconds } from '../sqs-seconds';
import type { ProvisionRequest } from './request';

export type ProvisionSettings = Pick<
  Config,
  | 'sourceBucket'
  | 'resultsBucket'
  | 'queueUrl'
  | 'deadLetterQueueUrl'
  | 'messageVisibilityTimeoutMs'
  | 'awsRegion'
>;

/** The resources the configuration names: queues by the last segment of their URLs. */
export function provisionRequestFromConfig(
  config: ProvisionSettings,
  extra: Pick<ProvisionRequest, 'maxReceiveCount' | 'log'> = {},
): ProvisionRequest {
  return {
    sourceBucket: config.sourceBucket,
    resultsBucket: config.resultsBucket,
    queueName: lastPathSegment(config.queueUrl),
    deadLetterQueueName: lastPathSegment(config.deadLetterQueueUrl),
    region: config.awsRegion,
    visibilityTimeoutSeconds: sqsSeconds(config.messageVisibilityTimeoutMs),
    ...extra,
  };
}

function lastPathSegment(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
}
