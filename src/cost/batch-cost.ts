import type { History } from '@temporalio/common/lib/proto-utils';
import type { BatchSummary } from '../workflows/batch-types';
import { countAwsRequests, type AwsRequests } from './aws-requests';
import type { Prices } from './prices';
import {
  REPLACED_DESIGN_INFERENCE_UNITS,
  replacedDesignCost,
  type ReplacedDesignCost,
} from './replaced-design';
import { countTemporalActions, temporalActionsCostUsd, type TemporalActions } from './temporal-actions';

/** One batch's bill, in USD, by what bills it; per 1,000 images when it saw any. */
export interface BatchCost {
  /** Images the model labelled or rejected: what the bill is shared over. */
  images: number;
  actions: TemporalActions;
  actionsPerImage?: number;
  awsRequests: AwsRequests;
  usd: { model: number; temporal: number; sqs: number; s3: number };
  totalUsd: number;
  perThousandImagesUsd?: number;
  /** The replaced Step Functions design for the same images. */
  replaced: ReplacedDesignCost & { perThousandImagesUsd?: number };
}

/**
 * The cost of a batch from its histories (every run of its continue-as-new chain, and any child
 * workflows') and its summary: the model as the summary bills it (RUNNING time × units × the hourly
 * price the batch ran with), Temporal Cloud actions and the SQS and S3 requests its activities made,
 * at `prices`. The replaced design gets the same images, its model (one unit) working at the per-unit
 * throughput this batch's model showed.
 */
export function batchCost(histories: readonly History[], summary: BatchSummary, prices: Prices): BatchCost {
  const images = summary.counts.processed + summary.counts.failed;
  const actions = countTemporalActions(histories);
  const awsRequests = countAwsRequests(histories);
  const usd = {
    model: summary.estimatedInferenceCostUsd,
    temporal: temporalActionsCostUsd(actions.total, prices.temporalPerMillionActions),
    sqs: (awsRequests.sqs / 1e6) * prices.sqsPerMillionRequests,
    s3:
      (awsRequests.s3Writes / 1000) * prices.s3PerThousandWrites +
      (awsRequests.s3Reads / 1000) * prices.s3PerThousandReads,
  };
  const totalUsd = usd.model + usd.temporal + usd.sqs + usd.s3;
  const units = summary.inferenceUnits?.chosen ?? 1;
  const replaced = replacedDesignCost(
    {
      images,
      modelStartSeconds: summary.modelStartSeconds ?? 0,
      processingSeconds: (summary.modelRunningSeconds * units) / REPLACED_DESIGN_INFERENCE_UNITS,
    },
    prices,
  );
  return {
    images,
    actions,
    ...(images > 0 && { actionsPerImage: actions.total / images }),
    awsRequests,
    usd,
    totalUsd,
    ...(images > 0 && { perThousandImagesUsd: (totalUsd / images) * 1000 }),
    replaced: {
      ...replaced,
      ...(images > 0 && { perThousandImagesUsd: (replaced.totalUsd / images) * 1000 }),
    },
  };
}
