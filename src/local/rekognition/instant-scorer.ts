import { createHash } from 'node:crypto';
import type { ModelVersionRecord } from '../model';
import type { LabelScorer } from './model-version';

/**
 * Benchmark mode only: answers without running the network, so a benchmark measures the
 * orchestration and not the model. The label is fixed per image (picked by a hash of its bytes).
 * With `inferenceMs` > 0 the model works like one inference unit: it serves one call at a time, each
 * for `inferenceMs`, and queues the rest. A model fed at its capacity is then busy all the time, and
 * gaps in usage accounting's busy time are gaps in the work the pipeline feeds it, as on a real endpoint.
 */
export function createInstantScorer(record: ModelVersionRecord, inferenceMs = 0): LabelScorer {
  /** When the model finishes the calls it holds: each call ends `inferenceMs` after the one before. */
  let freeAt = 0;
  return {
    async classify(image) {
      const digest = createHash('sha1').update(image).digest();
      const labels = [{ Name: record.labels[digest.readUInt32BE(0) % record.labels.length], Confidence: 99 }];
      if (inferenceMs <= 0) return labels;
      // End times come from the schedule, not from chained timers, so a late timer delays one answer
      // and never the model's throughput.
      freeAt = Math.max(Date.now(), freeAt) + inferenceMs;
      const doneAt = freeAt;
      await new Promise((resolve) => setTimeout(resolve, doneAt - Date.now()));
      return labels;
    },
  };
}
