import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';

/** A terminal gets lines for a human; anything else (a pipe, a file, a log shipper) one JSON object per line. */
export function defaultLogFormat(stream: { isTTY?: boolean }): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

const LEVEL_NAMES: Record<string, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** `12:00:01.234 INFO  message key=value …`: the JSON line, rewritten for a terminal. */
export function prettyLine(json: string): string {
  const { time, level, msg = '', ...fields } = JSON.parse(json) as Record<string, unknown> & { msg?: string };
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const rest = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const label = typeof level === 'string' ? level.toUpperCase() : LEVEL_NAMES[String(level)];
  return `${clock} ${label.padEnd(5)} ${msg}${rest ? ` ${rest}` : ''}\n`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => out.write(prettyLine(line)) };
}

/** The process's logger: JSON lines (ISO time, level as a word), or pretty lines for a terminal. */
export function createLogger(
  format: LogFormat,
  level = 'info',
  out: NodeJS.WritableStream = process.stdout,
): Logger {
  const options = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(
    options,
    format === 'pretty' ? prettyStream(out) : { write: (line: string) => out.write(line) },
  );
}

const SDK_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger interface on pino: workflow, activity and worker lines arrive with the
 * SDK's fields (workflowId, runId, workflowType, activityType, attempt, taskQueue, sdkComponent).
 */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    // An activity's task token would let anyone holding the log complete the activity: not a field.
    // Activities say workflowRunId where workflows say runId: one name, so one query finds a run's lines.
    // (Spreading keeps string keys only: the SDK's symbol-keyed timestamp is not a field either.)
    const fields: Record<string, unknown> = { ...meta };
    delete fields.taskToken;
    if (fields.workflowRunId !== undefined) {
      fields.runId = fields.workflowRunId;
      delete fields.workflowRunId;
    }
    this.logger[SDK_LEVELS[level]](fields, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
