/**
 * What the replaced Step Functions design bills for the same batch, from the fixed waits of its state
 * machine (states "Wait for the model to start" and "Keep Model running for 1 hr"): after
 * StartProjectVersion it checks the status every 900 s, and once RUNNING it holds the model 3540 s
 * before looking at the queue again, until the queue is empty.
 */
export const REPLACED_DESIGN_STATE_MACHINE =
  'https://github.com/aws-samples/amazon-rekognition-custom-labels-batch-processing/blob/main/template.yaml';
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
