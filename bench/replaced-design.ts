/**
 * What the replaced Step Functions design (aws-samples/amazon-rekognition-custom-labels-batch-processing)
 * bills for the same batch, from its fixed waits (../shared/reference/aws-facts.md): after
 * StartProjectVersion it checks the status every 900 s, and once RUNNING it holds the model 3540 s
 * before looking at the queue again, until the queue is empty.
 */
export const START_POLL_SECONDS = 900;
export const HOLD_SECONDS = 3540;

export interface ReplacedDesignBill {
  runningSeconds: number;
  idleSeconds: number;
}

export function replacedDesignBill(batch: {
  /** How long the model takes to reach RUNNING. */
  modelStartSeconds: number;
  /** How long the images take to process (at the same throughput). */
  processingSeconds: number;
  /** Time with inference in flight. */
  busySeconds: number;
}): ReplacedDesignBill {
  const noticedRunningAt =
    Math.max(1, Math.ceil(batch.modelStartSeconds / START_POLL_SECONDS)) * START_POLL_SECONDS;
  const holds = Math.max(1, Math.ceil(batch.processingSeconds / HOLD_SECONDS));
  const runningSeconds = noticedRunningAt - batch.modelStartSeconds + holds * HOLD_SECONDS;
  return { runningSeconds, idleSeconds: runningSeconds - batch.busySeconds };
}
