import type { S3ObjectRef } from './s3-event';

/**
 * Where outputs go in the results bucket. Names derive from the source key alone, so a redelivery or
 * a re-run overwrites the same objects and never duplicates them.
 */
export function processedImageKey(source: S3ObjectRef): string {
  return `processed/${source.key}`;
}

export function labelsKey(source: S3ObjectRef): string {
  return `processed/${source.key}.labels.json`;
}

export function failedImageKey(source: S3ObjectRef): string {
  return `failed/${source.key}`;
}

export function failureKey(source: S3ObjectRef): string {
  return `failed/${source.key}.error.json`;
}
