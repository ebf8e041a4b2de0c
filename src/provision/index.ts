import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { resolvedRegion } from '../aws-clients';
import { ensureBucket, ensureBucketVersioning } from './buckets';
import { ensureBucketNotifiesQueue } from './notification';
import { deadLetterQueueAttributes, imageQueueAttributes } from './queue-attributes';
import { sourceBucketSendPolicy } from './queue-policy';
import { convergeQueueAttributes, ensureQueue } from './queues';
import { ProvisionReport } from './report';
import { DEFAULT_MAX_RECEIVE_COUNT, validateProvisionRequest, type ProvisionRequest } from './request';

export { PROVISION_PERMISSIONS } from './aws-step';
export { provisionRequestFromConfig } from './from-config';
export { DEFAULT_MAX_RECEIVE_COUNT, type ProvisionRequest } from './request';

export interface ProvisionResult {
  /** As the service returned them: these, not the configured ones, are what the worker must use. */
  queueUrl: string;
  deadLetterQueueUrl: string;
  queueArn: string;
  created: string[];
  /** Found with other settings and changed to the wanted ones. */
  updated: string[];
  existing: string[];
}

/**
 * Creates, or brings in line, everything the pipeline needs in AWS (or moto); safe to re-run.
 * Outputs go only to the results bucket, which gets no notification, so they never re-trigger the pipeline.
 */
export async function provisionResources(
  clients: { s3: S3Client; sqs: SQSClient },
  request: ProvisionRequest,
): Promise<ProvisionResult> {
  validateProvisionRequest(request);
  const { s3, sqs } = clients;
  const region = request.region ?? (await resolvedRegion(clients));
  const report = new ProvisionReport(request.log ?? (() => undefined));

  for (const bucket of [request.sourceBucket, request.resultsBucket]) {
    report.record(`bucket ${bucket}`, await ensureBucket(s3, bucket, region));
  }
  report.record(
    `versioning of bucket ${request.sourceBucket}`,
    await ensureBucketVersioning(s3, request.sourceBucket),
  );

  // The redrive policy names the dead-letter queue's ARN, so that queue comes first.
  const deadLetter = await ensureQueue(sqs, request.deadLetterQueueName, deadLetterQueueAttributes());
  report.record(`dead-letter queue ${deadLetter.queue.name}`, deadLetter.outcome);
  const images = await ensureQueue(
    sqs,
    request.queueName,
    imageQueueAttributes({
      visibilityTimeoutSeconds: request.visibilityTimeoutSeconds,
      deadLetterQueueArn: deadLetter.queue.arn,
      maxReceiveCount: request.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
    }),
  );
  report.record(`queue ${images.queue.name}`, images.outcome);

  // S3 checks, when the notification is set, that the queue policy lets it send: policy first.
  const policy = await convergeQueueAttributes(sqs, images.queue, {
    Policy: sourceBucketSendPolicy(images.queue.arn, request.sourceBucket),
  });
  // A queue created just now had no policy: setting one is creating it.
  report.record(`policy of queue ${images.queue.name}`, images.outcome === 'created' ? 'created' : policy);

  report.record(
    `notification bucket ${request.sourceBucket} → queue ${images.queue.name}`,
    await ensureBucketNotifiesQueue(s3, request.sourceBucket, images.queue.arn),
  );

  return {
    queueUrl: images.queue.url,
    deadLetterQueueUrl: deadLetter.queue.url,
    queueArn: images.queue.arn,
    created: report.created,
    updated: report.updated,
    existing: report.existing,
  };
}
