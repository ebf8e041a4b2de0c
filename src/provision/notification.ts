import {
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  type QueueConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UserError } from '../config/user-error';
import { provisionStep } from './aws-step';
import { NOTIFICATION_ID, OBJECT_CREATED_EVENT } from './definitions';
import type { Outcome } from './report';

/** Makes the bucket send its ObjectCreated events to the queue, keeping its other notifications. */
export async function ensureBucketNotifiesQueue(
  s3: S3Client,
  bucket: string,
  queueArn: string,
): Promise<Outcome> {
  const resource = `the event notifications of bucket ${bucket}`;
  const current = await provisionStep('GetBucketNotificationConfiguration', resource, () =>
    s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket })),
  );
  const ours = current.QueueConfigurations?.find((entry) => entry.Id === NOTIFICATION_ID);
  if (ours && isWanted(ours, queueArn)) return 'existing';
  assertNoOverlap(bucket, current);

  const others = (current.QueueConfigurations ?? []).filter((entry) => entry.Id !== NOTIFICATION_ID);
  // The put replaces the whole configuration: every other kind of notification is passed back unchanged.
  const configuration: NotificationConfiguration = {
    TopicConfigurations: current.TopicConfigurations,
    LambdaFunctionConfigurations: current.LambdaFunctionConfigurations,
    EventBridgeConfiguration: current.EventBridgeConfiguration,
    QueueConfigurations: [
      ...others,
      { Id: NOTIFICATION_ID, QueueArn: queueArn, Events: [OBJECT_CREATED_EVENT] },
    ],
  };
  await provisionStep('PutBucketNotificationConfiguration', resource, () =>
    s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: configuration,
      }),
    ),
  );
  return ours ? 'updated' : 'created';
}

function isWanted(entry: QueueConfiguration, queueArn: string): boolean {
  return (
    entry.QueueArn === queueArn &&
    entry.Events?.length === 1 &&
    entry.Events[0] === OBJECT_CREATED_EVENT &&
    !entry.Filter?.Key?.FilterRules?.length
  );
}

/** S3 refuses two notifications sharing an event type for overlapping keys; ours covers every key. */
function assertNoOverlap(bucket: string, current: NotificationConfiguration): void {
  const overlapping = [
    ...(current.QueueConfigurations ?? []),
    ...(current.TopicConfigurations ?? []),
    ...(current.LambdaFunctionConfigurations ?? []),
  ].filter(
    (entry) =>
      entry.Id !== NOTIFICATION_ID && entry.Events?.some((event) => event.startsWith('s3:ObjectCreated:')),
  );
  if (overlapping.length === 0) return;
  const ids = overlapping.map((entry) => entry.Id ?? '(no id)').join(', ');
  throw new UserError(
    `bucket ${bucket} already sends ObjectCreated events elsewhere (notification ${ids}) and S3 refuses overlapping notifications: remove ${overlapping.length === 1 ? 'it' : 'them'} from the bucket's event notifications (the replaced system's .png/.jpg ones, for instance) and re-run provision.`,
  );
}
