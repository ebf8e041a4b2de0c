import { patched } from '@temporalio/workflow';
import { DeleteBatches } from './delete-batches';
import { LocalCallBatches } from './local-call-batches';
import { inWriteSpan } from './message-span';
import type { MessageWritten, WriteGroupInput } from './write-group-types';
import { writeMessage } from './write-message';

/** Groups recorded before this patch deleted each message with a DeleteMessage call of its own. */
const DELETE_MESSAGE_BATCH = 'delete-message-batch';

/**
 * The writes and deletes of a group of messages whose detections are done, each S3/SQS call a local
 * activity, all of them in one workflow task when they are quick: Temporal Cloud bills that as one
 * action. A child workflow of its own because nothing else happens in it: its batches of local calls
 * never share a workflow activation with the batch's other events (detections ending, timers), whose
 * grouping a replay does not repeat, so its commands replay whatever worker ran it and whenever one
 * died. The messages' deletes go in DeleteMessageBatch calls once their outputs are written. Results in
 * the order of `messages`.
 */
export async function writeGroupWorkflow(input: WriteGroupInput): Promise<MessageWritten[]> {
  const batches = new LocalCallBatches();
  const deletes = patched(DELETE_MESSAGE_BATCH)
    ? new DeleteBatches(batches.calls, input.queueUrl)
    : undefined;
  let written = false;
  const calls = batches.run(() => written);
  const deleting = deletes?.run(() => written);
  const results = await Promise.all(
    input.messages.map((message) =>
      inWriteSpan(message, () =>
        deletes
          ? deletes.writing(() => writeMessage(message, input, batches.calls, deletes.delete))
          : writeMessage(message, input, batches.calls, (receiptHandle) =>
              batches.calls.deleteMessage(input.queueUrl, receiptHandle),
            ),
      ),
    ),
  );
  written = true;
  await deleting;
  await calls;
  return results;
}
