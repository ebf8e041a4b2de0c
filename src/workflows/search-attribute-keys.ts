import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes of a batch, one prefix for all: the Web UI's list and
 * `temporal workflow list --query` find batches by them. A namespace must know them before a batch sets
 * them (the dev server registers them at start; a real namespace once, with the README's command).
 * SQL visibility (the dev server's SQLite, self-hosted MySQL/PostgreSQL) holds at most 3 Int and 3 Double
 * custom attributes per namespace, so the count queried least, images queued at start, is a Double.
 */
export const SEARCH_ATTRIBUTES = {
  modelVersion: defineSearchAttributeKey('CustomLabelsModelVersion', SearchAttributeType.KEYWORD),
  imagesQueued: defineSearchAttributeKey('CustomLabelsImagesQueued', SearchAttributeType.DOUBLE),
  imagesProcessed: defineSearchAttributeKey('CustomLabelsImagesProcessed', SearchAttributeType.INT),
  imagesFailed: defineSearchAttributeKey('CustomLabelsImagesFailed', SearchAttributeType.INT),
  imagesDeadLettered: defineSearchAttributeKey('CustomLabelsImagesDeadLettered', SearchAttributeType.INT),
  modelRunningSeconds: defineSearchAttributeKey(
    'CustomLabelsModelRunningSeconds',
    SearchAttributeType.DOUBLE,
  ),
  outcome: defineSearchAttributeKey('CustomLabelsOutcome', SearchAttributeType.KEYWORD),
} as const;

/** How the batch ended: `queue-empty` did nothing; `drained` ended on the drain signal. */
export type BatchOutcome = 'completed' | 'queue-empty' | 'drained' | 'failed' | 'cancelled';

/** The type names the `temporal` CLI takes (`--search-attribute Name=Type`, `--type`). */
const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double' } as const;

/** `Name=Type` for each attribute, as `temporal server start-dev --search-attribute` takes them. */
export function searchAttributeDefinitions(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
}
