import { durationText } from './duration-text';

/** What TARGET_BATCH_DURATION sizes the model from; absent from batches started without it. */
export interface UnitSizing {
  /** The batch should end this long after it began. */
  targetMs: number;
  /**
   * DetectCustomLabels calls per second one inference unit serves (MODEL_TPS_PER_INFERENCE_UNIT): what
   * the batch sizes from unless it learns the value from earlier batches.
   */
  tpsPerUnit: number;
  /**
   * LEARN_TPS_FROM_BATCHES: how many recent completed batches of the model the TPS per unit is learned
   * from; 0 uses tpsPerUnit. Absent from batches started before the setting existed: 0.
   */
  learnFromBatches?: number;
  /** What the target leaves for the model to reach RUNNING and, at the end, STOPPED (MODEL_START_TIME). */
  modelStartMs: number;
  /**
   * DETECT_RATE_LIMIT, which the workers gave the detect task queue when they started: the server
   * enforces it per task queue whatever the batch's model, so no batch runs faster.
   */
  detectRateLimit: number;
}

export interface UnitChoice {
  chosen: number;
  reason: string;
}

/**
 * The share of the dispatch rate the pipeline turns into finished images: measured 0.95–0.96 of a
 * 10–25 TPS model's capacity (BENCHMARKS.md, figure 1), the limiter dispatching a little under its rate.
 */
export const PIPELINE_EFFICIENCY = 0.95;

/**
 * The fewest inference units in [min, max] that finish the `messages` queued (each an image, but for
 * the odd test event) within the target: the model's start first, then the messages at
 * PIPELINE_EFFICIENCY × min(units × TPS per unit, DETECT_RATE_LIMIT). When none does, the fewest that
 * reach the fastest rate possible (more units than the rate limit feeds would bill without speeding
 * up). The reason says which, with the figures. The batch's CONCURRENCY is assumed not to bind: it
 * caps the rate at CONCURRENCY ÷ the time one message takes, which the model's latency decides.
 */
export function sizeInferenceUnits(
  messages: number,
  sizing: UnitSizing,
  bounds: { min: number; max: number },
): UnitChoice {
  const rate = (units: number) =>
    PIPELINE_EFFICIENCY * Math.min(units * sizing.tpsPerUnit, sizing.detectRateLimit);
  const processingMs = (units: number) => (messages / rate(units)) * 1000;
  const budgetMs = sizing.targetMs - sizing.modelStartMs;
  const took = (units: number) =>
    `${units} unit${units === 1 ? '' : 's'} (${rate(units).toFixed(2)} images/s) ${units === 1 ? 'takes' : 'take'} ${roughly(processingMs(units))}`;
  const leaves =
    `${messages} messages within ${durationText(sizing.targetMs)}, ${durationText(sizing.modelStartMs)} of it ` +
    `for the model to start`;
  for (let units = bounds.min; units <= bounds.max; units += 1) {
    if (budgetMs > 0 && processingMs(units) <= budgetMs) {
      const fewer = units > bounds.min ? `; ${took(units - 1)}` : '';
      return { chosen: units, reason: `${leaves}: ${took(units)}${fewer}` };
    }
  }
  const fedByRateLimit = Math.ceil(sizing.detectRateLimit / sizing.tpsPerUnit);
  const fastest = Math.max(bounds.min, Math.min(bounds.max, fedByRateLimit));
  const cap =
    fedByRateLimit < bounds.max
      ? `; DETECT_RATE_LIMIT ${sizing.detectRateLimit}/s feeds no more than ${fedByRateLimit}`
      : '';
  return { chosen: fastest, reason: `cannot finish ${leaves}: at best ${took(fastest)}${cap}` };
}

/** Milliseconds rounded for a person: '42s', '3.5m', '1.2h'. */
function roughly(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  if (seconds < 90) return `${Math.ceil(seconds)}s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
