import { UserError } from './config/user-error';

/**
 * The server refuses a schedule whose batches would carry a search attribute the namespace does not know
 * with a bare "Failed to create schedule" whose cause names it: say that, and how to register them.
 */
export function missingSearchAttribute(error: unknown): UserError | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const message = cause instanceof Error ? cause.message : '';
  const name = /has no mapping defined for search attribute (\w+)/.exec(message)?.[1];
  if (!name) return undefined;
  return new UserError(
    `the Temporal namespace does not know the search attribute ${name}: register the batches' search attributes once with \`temporal operator search-attribute create\` (README, "Find batches"), then run this again.`,
  );
}
