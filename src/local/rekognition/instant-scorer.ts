import { createHash } from 'node:crypto';
import type { ModelVersionRecord } from '../model';
import type { LabelScorer } from './model-version';

/**
 * Benchmark mode only: answers without running the network, so a benchmark measures the
 * orchestration and not the model. The label is fixed per image (picked by a hash of its bytes).
 * `latencyMs` holds each answer back that long, as a real endpoint's inference time would; the call
 * counts as in flight meanwhile, so usage accounting sees the model busy as it would be.
 */
export function createInstantScorer(record: ModelVersionRecord, latencyMs = 0): LabelScorer {
  return {
    async classify(image) {
      const digest = createHash('sha1').update(image).digest();
      const label = record.labels[digest.readUInt32BE(0) % record.labels.length];
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return [{ Name: label, Confidence: 99 }];
    },
  };
}
