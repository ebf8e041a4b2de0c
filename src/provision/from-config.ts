import type { Config } from '../config/config';
import { parseDuration } from '../config/duration';
import type { ProvisionRequest } from './request';

export type ProvisionSettings = Pick<
  Config,
  | 'sourceBucket'
  | 'resultsBucket'
  | 'queueUrl'
  | 'deadLetterQueueUrl'
  | 'messageVisibilityTimeout'
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
    // SQS counts whole seconds; rounding up never lets a message reappear before its configured time.
    visibilityTimeoutSeconds: Math.ceil(
      parseDuration(config.messageVisibilityTimeout, 'MESSAGE_VISIBILITY_TIMEOUT') / 1000,
    ),
    ...extra,
  };
}

function lastPathSegment(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
}
