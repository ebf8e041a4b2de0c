import { TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS } from './temporal-actions';

/**
 * What each billed unit costs, in USD. The defaults are the published on-demand list prices in
 * us-east-1, without free tiers or volume discounts (each page below, read December 2026); the first two
 * are settings (TEMPORAL_COST_PER_MILLION_ACTIONS, INFERENCE_UNIT_HOURLY_COST), since contracts and
 * regions differ most there.
 */
export interface Prices {
  /** https://docs.temporal.io/cloud/pricing: Actions "starting at $50 per million". */
  temporalPerMillionActions: number;
  /** https://aws.amazon.com/rekognition/pricing/ (Custom Labels): $4.00 per inference-unit hour. */
  inferenceUnitHour: number;
  /** https://aws.amazon.com/sqs/pricing/: standard queue, $0.40 per million requests. */
  sqsPerMillionRequests: number;
  /** https://aws.amazon.com/s3/pricing/ (S3 Standard): PUT, COPY, POST, LIST $0.005 per 1,000. */
  s3PerThousandWrites: number;
  /** Same page: GET, SELECT and all other requests (HEAD among them) $0.0004 per 1,000; DELETE is free. */
  s3PerThousandReads: number;
  /** https://aws.amazon.com/step-functions/pricing/: Standard workflows, $0.025 per 1,000 state transitions. */
  stepFunctionsPerThousandTransitions: number;
  /** https://aws.amazon.com/lambda/pricing/: $0.20 per million requests. */
  lambdaPerMillionRequests: number;
  /** Same page: x86, first tier, $0.0000166667 per GB-second. */
  lambdaPerGbSecond: number;
}

export const LIST_PRICES: Prices = {
  temporalPerMillionActions: TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS,
  inferenceUnitHour: 4,
  sqsPerMillionRequests: 0.4,
  s3PerThousandWrites: 0.005,
  s3PerThousandReads: 0.0004,
  stepFunctionsPerThousandTransitions: 0.025,
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecond: 0.0000166667,
};

/** The list prices with the two a user sets (from the config validated at the edge). */
export function pricesFrom(config: {
  temporalCostPerMillionActions: number;
  inferenceUnitHourlyCost: number;
}): Prices {
  return {
    ...LIST_PRICES,
    temporalPerMillionActions: config.temporalCostPerMillionActions,
    inferenceUnitHour: config.inferenceUnitHourlyCost,
  };
}
