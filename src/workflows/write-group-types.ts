import type { AnnouncedObject, ObjectLocation } from '../activities';

/** One labelled (or rejected) image's outputs: the image copied beside its document, then deleted. */
export interface ObjectWrites {
  object: AnnouncedObject;
  image: ObjectLocation;
  document: ObjectLocation;
  content: unknown;
}

/** Everything left to do for one message once its detections are done, ending with its delete. */
export interface MessageWrites {
  messageId: string;
  receiptHandle: string;
  body: string;
  objects: ObjectWrites[];
  /** Set when the message goes to the dead-letter queue (after its objects' writes) with this reason. */
  deadLetterReason?: string;
}

export interface WriteGroupInput {
  queueUrl: string;
  deadLetterQueueUrl: string;
  messages: MessageWrites[];
}

/**
 * Per object, in order: `written`, or `gone` (its copy found the source gone and no document from an
 * earlier attempt: nothing was written). Objects after a failure are absent.
 */
export type ObjectWritten = 'written' | 'gone';

/** A failure as the workflow saw it, carried across the child's result. */
export interface CarriedFailure {
  message: string;
  type?: string;
  nonRetryable: boolean;
}

/**
 * `deleted`: the message is off the queue (dead-lettered first, with `deadLetterReason`, if it had to be).
 * `left-queued`: a failure of the system stopped its writes; the message stays queued.
 */
export type MessageWritten =
  | { end: 'deleted'; objects: ObjectWritten[]; deadLetterReason?: string }
  | { end: 'left-queued'; objects: ObjectWritten[]; failure: CarriedFailure };
