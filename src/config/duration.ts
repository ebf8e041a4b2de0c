import { UserError } from './user-error';

/** A duration such as '500ms', '30s', '5m' or '1h' (also what Temporal accepts). */
export type DurationText = `${number}${keyof typeof UNIT_MS}`;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses `'500ms'`, `'30s'`, `'5m'`, `'1h'`; `what` names the setting in the error. */
export function parseDuration(text: string, what: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw new UserError(
      `${what} must be a duration such as 500ms, 30s, 5m or 1h; got ${JSON.stringify(text)}.`,
    );
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
