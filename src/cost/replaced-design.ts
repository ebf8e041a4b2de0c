import type { Prices } from './prices';

/**
 * What the replaced Step Functions design bills for the same batch, from its state machine
 * (REPLACED_DESIGN_STATE_MACHINE): the fixed waits "Wait for the model to start" (900 s between starts
 * and status checks) and "Keep Model running for 1 hr" (3540 s held per look at the queue), its four
 * 128 MB Lambda functions, and the SQS trigger (batch size 1) that runs one analyse function per image.
 */
export const REPLACED_DESIGN_STATE_MACHINE =
  'https://github.com/aws-samples/amazon-rekognition-custom-labels-batch-processing/blob/main/template.yaml';
export const START_POLL_SECONDS = 900;
export const HOLD_SECONDS = 3540;
/** Its Start Model function asks for one unit whatever the queue holds. */
export const REPLACED_DESIGN_INFERENCE_UNITS = 1;
const LAMBDA_GB = 128 / 1024;
/**
 * Billed seconds per invocation, assumed: the analyse function makes one DetectCustomLabels call, a
 * managed copy (HeadObject + CopyObject) and a PutObject, the others one or two API calls each. At
 * 128 MB a second costs $0.0000021, so even a 2× error moves the total by under $0.003 per 1,000 images.
 */
export const LAMBDA_SECONDS_PER_INVOCATION = 1;
/** Lambda's SQS trigger long-polls with five connections, each ReceiveMessage waiting up to 20 s. */
const TRIGGER_EMPTY_RECEIVES_PER_SECOND = 5 / 20;

export interface ReplacedDesignBill {
  runningSeconds: number;
  idleSeconds: number;
}

/** The replaced design's billed model time for a batch whose model starts and works as given. */
export function replacedDesignBill(batch: {
  /** How long the model takes to reach RUNNING. */
  modelStartSeconds: number;
  /** How long the images take to process (at the same throughput). */
  processingSeconds: number;
  /** Time with inference in flight. */
  busySeconds: number;
}): ReplacedDesignBill {
  const noticedRunningAt = startPolls(batch.modelStartSeconds) * START_POLL_SECONDS;
  const runningSeconds =
    noticedRunningAt - batch.modelStartSeconds + holdsFor(batch.processingSeconds) * HOLD_SECONDS;
  return { runningSeconds, idleSeconds: runningSeconds - batch.busySeconds };
}

const startPolls = (modelStartSeconds: number) =>
  Math.max(1, Math.ceil(modelStartSeconds / START_POLL_SECONDS));
const holdsFor = (processingSeconds: number) => Math.max(1, Math.ceil(processingSeconds / HOLD_SECONDS));

export interface ReplacedDesignCost {
  model: { runningSeconds: number; usd: number };
  stepFunctions: { transitions: number; usd: number };
  lambda: { invocations: number; gbSeconds: number; usd: number };
  sqs: { requests: number; usd: number };
  s3: { writes: number; reads: number; usd: number };
  totalUsd: number;
}

/**
 * The replaced design's bill for `images` images, its model at one unit processing them at the
 * per-unit throughput this batch measured. One execution: Check SQS Queue, its choice, then per look at
 * the starting model Start Model and Start States (with a 900 s wait before each but the first), Enable SQS Trigger and its choice,
 * per hold the wait, Check Queue Again and its choice, then Disable SQS Trigger, Stop Model and Finish.
 * The hourly rule starts another execution during each further hour the batch runs (seven states,
 * three functions: it finds the trigger enabled and ends). Per image: one analyse invocation, one
 * ReceiveMessage and one DeleteMessage, HeadObject + CopyObject + PutObject; the trigger's empty long
 * polls run while it is enabled.
 */
export function replacedDesignCost(
  batch: { images: number; modelStartSeconds: number; processingSeconds: number },
  prices: Prices,
): ReplacedDesignCost {
  const polls = startPolls(batch.modelStartSeconds);
  const holds = holdsFor(batch.processingSeconds);
  const { runningSeconds } = replacedDesignBill({ ...batch, busySeconds: 0 });
  const batchSeconds = polls * START_POLL_SECONDS + holds * HOLD_SECONDS;
  const overlappingExecutions = Math.floor(batchSeconds / 3600);

  // The first Start Model finds it STARTING; each 900 s wait is followed by another.
  const startModelCalls = polls + 1;
  const transitions = 2 + 2 * startModelCalls + polls + 2 + 3 * holds + 3 + 7 * overlappingExecutions;
  const invocations = 1 + startModelCalls + 1 + holds + 2 + 3 * overlappingExecutions + batch.images;
  const gbSeconds = invocations * LAMBDA_SECONDS_PER_INVOCATION * LAMBDA_GB;
  const emptyReceives = Math.round(holds * HOLD_SECONDS * TRIGGER_EMPTY_RECEIVES_PER_SECOND);
  const sqsRequests = 1 + holds + 2 * batch.images + emptyReceives;
  const s3Writes = 2 * batch.images;
  const s3Reads = batch.images;

  const model = {
    runningSeconds,
    usd: (runningSeconds / 3600) * REPLACED_DESIGN_INFERENCE_UNITS * prices.inferenceUnitHour,
  };
  const stepFunctions = {
    transitions,
    usd: (transitions / 1000) * prices.stepFunctionsPerThousandTransitions,
  };
  const lambda = {
    invocations,
    gbSeconds,
    usd: (invocations / 1e6) * prices.lambdaPerMillionRequests + gbSeconds * prices.lambdaPerGbSecond,
  };
  const sqs = { requests: sqsRequests, usd: (sqsRequests / 1e6) * prices.sqsPerMillionRequests };
  const s3 = {
    writes: s3Writes,
    reads: s3Reads,
    usd: (s3Writes / 1000) * prices.s3PerThousandWrites + (s3Reads / 1000) * prices.s3PerThousandReads,
  };
  const totalUsd = model.usd + stepFunctions.usd + lambda.usd + sqs.usd + s3.usd;
  return { model, stepFunctions, lambda, sqs, s3, totalUsd };
}
