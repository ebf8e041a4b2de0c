import type { RunningInterval } from '../src/local/rekognition';
import type { BatchHistory } from './batch-history';

export interface BatchMetrics {
  messages: number;
  /** From the first ReceiveMessage to the last message finished. */
  processingSeconds: number;
  imagesPerSecond: number;
  /** Summed over the batch's RUNNING intervals (the model's billed time), from the server's accounting. */
  runningSeconds: number;
  busySeconds: number;
  idleSeconds: number;
  inferences: number;
  throttled: number;
  /** Idle at the start: RUNNING until the batch's first receive (the status poll noticing RUNNING). */
  startLagSeconds: number;
  /** Idle at the end: last message finished until the stop request. */
  tailSeconds: number;
  /** The longest time between two messages finished: a stall (e.g. a continue-as-new draining). */
  longestGapSeconds: number;
  /** Summed over the continue-as-new handovers: last message of one run to first of the next. */
  handoverSeconds: number;
}

const seconds = (ms: number) => ms / 1000;

/** Messages finished per second over a stretch of time (epoch ms). */
export function rate(messages: number, fromMs: number, toMs: number): number {
  return messages / seconds(toMs - fromMs);
}

/** One batch's throughput (from its Temporal history) and billed time (from the model server's usage). */
export function batchMetrics(history: BatchHistory, modelIntervals: RunningInterval[]): BatchMetrics {
  const done = history.messageDoneAt;
  const first = history.firstReceiveAt ?? Number.NaN;
  const last = done.at(-1) ?? Number.NaN;
  const sum = (pick: (interval: RunningInterval) => number) =>
    modelIntervals.reduce((total, interval) => total + pick(interval), 0);
  const firstInterval = modelIntervals[0];
  const lastInterval = modelIntervals.at(-1);
  return {
    messages: done.length,
    processingSeconds: seconds(last - first),
    imagesPerSecond: rate(done.length, first, last),
    runningSeconds: seconds(sum((i) => i.runningMs)),
    busySeconds: seconds(sum((i) => i.busyMs)),
    idleSeconds: seconds(sum((i) => i.idleMs)),
    inferences: sum((i) => i.inferences),
    throttled: sum((i) => i.throttled),
    startLagSeconds: firstInterval ? seconds(first - firstInterval.startedAt) : 0,
    tailSeconds: lastInterval?.stoppedAt ? seconds(lastInterval.stoppedAt - last) : 0,
    handoverSeconds: seconds(history.handoverGapsMs.reduce((total, gap) => total + gap, 0)),
    longestGapSeconds: seconds(
      done.reduce((gap, at, i) => (i === 0 ? gap : Math.max(gap, at - done[i - 1])), 0),
    ),
  };
}
