import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BatchFile } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { foreignBucketEvent, peekObjectEvent, sendRaw } from './support/queue-messages';
import { stackPerFile } from './support/stack-lifecycle';

const scenarioStack = stackPerFile('queue-anomalies');

it('handles a duplicated message, two events for one object, a vanished object, a non-S3 message and a foreign bucket', async () => {
  const stack = scenarioStack();
  const { s3, sqs } = stack.clients;
  const { sourceBucket, queueUrl } = stack.config;
  const files = await stack.uploadBatchFiles('anomalies', 200);

  // The same message delivered twice: its body once more in the queue.
  await sendRaw(sqs, queueUrl, await peekObjectEvent(sqs, queueUrl));
  // One key uploaded twice: two versions, each labelled and moved, the second's outputs last.
  const twice: BatchFile = { ...files[files.length - 1], key: 'anomalies/uploaded twice.png' };
  await stack.upload([twice]);
  await stack.upload([twice]);
  // An object deleted for good (its version, in the versioned source bucket) between its event and the
  // batch: its event stays queued.
  const vanishedKey = 'anomalies/deleted-before-the-batch.png';
  const { VersionId } = await s3.send(
    new PutObjectCommand({ Bucket: sourceBucket, Key: vanishedKey, Body: twice.body }),
  );
  await s3.send(new DeleteObjectCommand({ Bucket: sourceBucket, Key: vanishedKey, VersionId }));
  // Messages that are not S3 events for the source bucket.
  await sendRaw(sqs, queueUrl, 'garbage, not even JSON');
  await sendRaw(sqs, queueUrl, JSON.stringify({ hello: 'a JSON message, but not an S3 event' }));
  await sendRaw(sqs, queueUrl, foreignBucketEvent('anomalies/img-0001.png'));

  const summary = await stack.finish(await stack.startBatch());

  await expectPipelineInvariants(stack, {
    files: [...files, twice],
    runs: [completedRun(summary)],
    // The duplicate and the vanished object.
    skipped: 2,
    superseded: 1,
    deadLetterReasons: [
      /not JSON/,
      /no Records: it is not an S3 event notification/,
      /"someone-elses-bucket" is not the configured source bucket/,
    ],
  });
});
