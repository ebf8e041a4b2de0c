import { LocalCallBatches } from './local-call-batches';
import type { MessageWritten, WriteGroupInput } from './write-group-types';
import { writeMessage } from './write-message';

/**
 * The writes and deletes of a group of messages whose detections are done, each S3/SQS call a local
 * activity, all of them in one workflow task when they are quick: Temporal Cloud bills that as one
 * action. A child workflow of its own because nothing else happens in it: its batches of local calls
 * never share a workflow activation with the batch's other events (detections ending, timers), whose
 * grouping a replay does not repeat, so its commands replay whatever worker ran it and whenever one
 * died. Results in the order of `messages`.
 */
export async function writeGroupWorkflow(input: WriteGroupInput): Promise<MessageWritten[]> {
  const batches = new LocalCallBatches();
  let written = false;
  const calls = batches.run(() => written);
  const results = await Promise.all(
    input.messages.map((message) => writeMessage(message, input, batches.calls)),
  );
  written = true;
  await calls;
  return results;
}
