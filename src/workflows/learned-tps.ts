import { PIPELINE_EFFICIENCY } from './unit-sizing';

/**
 * What a batch that started its model measured of it (in its summary): later batches of the same model
 * version learn the model's TPS per inference unit from it.
 */
export interface ThroughputMeasurement {
  imagesProcessed: number;
  /** From the model first seen RUNNING to the batch's stop request: the time it had for the images. */
  busySeconds: number;
  inferenceUnits: number;
}

/** A completed earlier batch of the model, as the earlierBatchThroughputs activity reads it. */
export interface EarlierBatch {
  workflowId: string;
  runId: string;
  /** ISO time the batch closed. */
  closedAt: string;
  throughput: ThroughputMeasurement;
}

/** The TPS per inference unit a sized batch used, and where it came from (in the summary). */
export interface TpsChoice {
  tpsPerUnit: number;
  source: 'configured' | 'learned';
  /** Earlier batches it was learned from: 0 when configured. */
  batches: number;
  reason: string;
}

/** Fewer images, or a shorter busy time, and the first receive and the last empty-queue check weigh too much. */
export const MIN_IMAGES_MEASURED = 50;
export const MIN_BUSY_SECONDS = 15;
/**
 * A batch that delivered this share of what DETECT_RATE_LIMIT lets through was held by the rate limit,
 * not by its model: its rate says only that the model serves at least that much.
 */
export const RATE_LIMITED_SHARE = 0.9;
/**
 * The learned value stays within this factor of MODEL_TPS_PER_INFERENCE_UNIT: a few stalled or
 * mismeasured batches must not size a batch to MAX_INFERENCE_UNITS, or to one unit that cannot finish.
 */
export const LEARNED_TPS_RANGE = 4;
/** The activity reads up to this many times as many completed batches as are learned from. */
export const BATCHES_READ_PER_LEARNED = 4;

/**
 * The TPS per unit that, through the sizing's PIPELINE_EFFICIENCY, gives the rate the batch delivered:
 * sized from it, the same batch would be predicted to take as long as it did.
 */
export function measuredTpsPerUnit(throughput: ThroughputMeasurement): number {
  const { imagesProcessed, busySeconds, inferenceUnits } = throughput;
  return imagesProcessed / busySeconds / inferenceUnits / PIPELINE_EFFICIENCY;
}

/**
 * The TPS per unit to size from: the median over the `batches` most recent of `earlier` (newest first)
 * that measured their model (big enough, not held by `detectRateLimit`), kept within LEARNED_TPS_RANGE
 * of the configured value; the configured value when none did. The reason says which, with the figures.
 */
export function learnTpsPerUnit(
  earlier: EarlierBatch[],
  options: { configured: number; detectRateLimit: number; batches: number },
): TpsChoice {
  const { configured, detectRateLimit } = options;
  const kinds = earlier.map(({ throughput }) => kindOf(throughput, detectRateLimit));
  const measured = earlier
    .filter((_, index) => kinds[index] === 'measured')
    .slice(0, options.batches)
    .map(({ throughput }) => measuredTpsPerUnit(throughput));
  if (measured.length === 0) {
    const tooSmall = kinds.filter((kind) => kind === 'too-small').length;
    const rateLimited = kinds.filter((kind) => kind === 'rate-limited').length;
    const skipped = [
      tooSmall > 0 && `${tooSmall} under ${MIN_IMAGES_MEASURED} images or ${MIN_BUSY_SECONDS}s busy`,
      rateLimited > 0 && `${rateLimited} held by DETECT_RATE_LIMIT ${detectRateLimit}/s`,
    ].filter(Boolean);
    const why =
      earlier.length === 0
        ? 'no completed earlier batch of this model measured it'
        : `none of the ${earlier.length} earlier batches read measured it (${skipped.join(', ')})`;
    return { tpsPerUnit: configured, source: 'configured', batches: 0, reason: configuredBecause(why) };
  }
  const median = medianOf(measured);
  const low = configured / LEARNED_TPS_RANGE;
  const high = configured * LEARNED_TPS_RANGE;
  const tpsPerUnit = Math.min(high, Math.max(low, median));
  const capped =
    tpsPerUnit === median
      ? ''
      : `, kept to ${tpsPerUnit === high ? `${LEARNED_TPS_RANGE} ×` : `1/${LEARNED_TPS_RANGE} of`} MODEL_TPS_PER_INFERENCE_UNIT ${configured}`;
  const batches = `${measured.length} earlier batch${measured.length === 1 ? '' : 'es'}`;
  return {
    tpsPerUnit,
    source: 'learned',
    batches: measured.length,
    reason:
      `learned from the ${batches} of this model: images processed ÷ (busy seconds × units × ${PIPELINE_EFFICIENCY}) = ` +
      `${measured.map((tps) => tps.toFixed(2)).join(', ')}, median ${median.toFixed(2)}${capped}`,
  };
}

/** The configured value, and why it was not learned. */
export function configuredBecause(why: string): string {
  return `MODEL_TPS_PER_INFERENCE_UNIT: ${why}`;
}

/** Whether a batch measured its model: big enough, and held by the model rather than the rate limit. */
function kindOf(
  throughput: ThroughputMeasurement,
  detectRateLimit: number,
): 'measured' | 'too-small' | 'rate-limited' {
  const { imagesProcessed, busySeconds } = throughput;
  if (imagesProcessed < MIN_IMAGES_MEASURED || busySeconds < MIN_BUSY_SECONDS) return 'too-small';
  const delivered = imagesProcessed / busySeconds;
  return delivered >= RATE_LIMITED_SHARE * PIPELINE_EFFICIENCY * detectRateLimit
    ? 'rate-limited'
    : 'measured';
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
