import type { Logger } from 'pino';
import { createLogger, defaultLogFormat, type LogFormat } from '../observability/logger';

/**
 * The CLI's own status lines (what it is doing, a batch's progress, the cost it read back) go to stderr
 * as log lines, like the worker's: one JSON object per line off a terminal (`LOG_FORMAT`), a line for a
 * human on one. Results (a summary, a description) stay on stdout, for pipes.
 */
export function statusLog(format: LogFormat | undefined, out: NodeJS.WriteStream = process.stderr): Logger {
  return createLogger(format ?? defaultLogFormat(out), 'info', out);
}
