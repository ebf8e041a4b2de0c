/**
 * The pipeline's own metrics, one prefix, units in the names. Counters gain `_total` in Prometheus
 * (the exporter's `countersTotalSuffix`); histograms `_bucket`, `_sum`, `_count`. Labels stay few and
 * bounded: a failure reason is one of Rekognition's error names, never a message or a key.
 * Imported by workflow code too, so nothing here may touch Node.
 */
export const METRIC = {
  imagesProcessed: 'custom_labels_batch_images_processed',
  imagesFailed: 'custom_labels_batch_images_failed',
  imagesSkipped: 'custom_labels_batch_images_skipped',
  messagesDeadLettered: 'custom_labels_batch_messages_dead_lettered',
  detectLatency: 'custom_labels_batch_detect_latency_seconds',
  detectThrottled: 'custom_labels_batch_detect_throttled',
  modelStartDuration: 'custom_labels_batch_model_start_duration_seconds',
  modelRunning: 'custom_labels_batch_model_running_seconds',
  modelBusy: 'custom_labels_batch_model_busy_seconds',
  modelBilledIdle: 'custom_labels_batch_model_billed_idle_seconds',
  estimatedCost: 'custom_labels_batch_estimated_inference_cost_usd',
  batchDuration: 'custom_labels_batch_batch_duration_seconds',
  messagesQueuedAtStart: 'custom_labels_batch_messages_queued_at_start',
  batches: 'custom_labels_batch_batches',
} as const;

/** Bucket bounds fitting each histogram's range (the SDK's default buckets are for milliseconds). */
export const HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [METRIC.detectLatency]: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  [METRIC.modelStartDuration]: [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600],
  [METRIC.modelRunning]: [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800],
  [METRIC.modelBusy]: [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800],
  [METRIC.modelBilledIdle]: [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800],
  [METRIC.batchDuration]: [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800],
  [METRIC.estimatedCost]: [0.1, 0.5, 1, 2, 5, 10, 25, 50, 100],
  [METRIC.messagesQueuedAtStart]: [1, 10, 100, 1000, 10_000, 100_000],
};
