import type { Logger } from 'pino';
import type { BatchProgress } from '../workflows/batch-types';

const BAR_WIDTH = 30;

/** One line: a bar of finished messages out of `total` (when known), counts, model state and phase. */
export function progressLine(progress: BatchProgress, total?: number): string {
  const { counts } = progress;
  const done = counts.processed + counts.failed + counts.skipped + counts.deadLettered + counts.testEvents;
  const parts = [
    `processed ${counts.processed}`,
    `failed ${counts.failed}`,
    counts.skipped ? `skipped ${counts.skipped}` : '',
    counts.deadLettered ? `dead-lettered ${counts.deadLettered}` : '',
    `model ${progress.modelStatus ?? '—'}`,
    progress.phase + (progress.draining ? ' (draining)' : ''),
  ].filter(Boolean);
  if (total === undefined || total === 0) return `${done} done · ${parts.join(' · ')}`;
  const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} · ${parts.join(' · ')}`;
}

/**
 * Redraws in place on a terminal; elsewhere (CI logs, pipes, log shippers) logs a line per change, with
 * the counts as fields.
 */
export function createProgressPrinter(
  log: Pick<Logger, 'info'>,
  stream: NodeJS.WriteStream = process.stderr,
): {
  update(line: string, progress: BatchProgress): void;
  finish(): void;
} {
  let last = '';
  return {
    update(line, progress) {
      if (line === last) return;
      last = line;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else
        log.info({ counts: progress.counts, phase: progress.phase, modelStatus: progress.modelStatus }, line);
    },
    finish() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
