import { PassThrough } from 'node:stream';
import { createProgressPrinter } from '../../src/cli/progress-line';
import { statusLog } from '../../src/cli/status-log';
import { emptyCounts } from '../../src/workflows/batch-state';
import type { BatchProgress } from '../../src/workflows/batch-types';

function captured(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

const progress: BatchProgress = {
  phase: 'processing',
  counts: { ...emptyCounts(), processed: 3 },
  modelStatus: 'RUNNING',
  pages: 1,
  inFlight: 2,
  draining: false,
  continuedAsNew: 0,
  queuedAtStart: 5,
};

it('logs status lines and progress off a terminal as JSON objects, one per line, with the counts', async () => {
  const { stream, text } = captured(false);
  const log = statusLog(undefined, stream);
  log.info('following batch-1');
  const printer = createProgressPrinter(log, stream);
  printer.update('3/5 done', progress);
  printer.update('3/5 done', progress);
  printer.finish();
  await new Promise((resolve) => setImmediate(resolve));
  const lines = text()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toEqual([
    expect.objectContaining({ level: 'info', msg: 'following batch-1' }),
    expect.objectContaining({
      level: 'info',
      msg: '3/5 done',
      phase: 'processing',
      modelStatus: 'RUNNING',
      counts: expect.objectContaining({ processed: 3 }),
    }),
  ]);
});

it('redraws the progress line in place on a terminal, and writes status lines for a human', async () => {
  const { stream, text } = captured(true);
  const log = statusLog(undefined, stream);
  log.info('following batch-1');
  const printer = createProgressPrinter(log, stream);
  printer.update('3/5 done', progress);
  printer.finish();
  await new Promise((resolve) => setImmediate(resolve));
  const [statusLine, progressLine] = text().split('\n');
  expect(statusLine).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}following batch-1$/);
  expect(progressLine).toBe('\r\u001b[2K3/5 done');
  expect(text().endsWith('3/5 done\n')).toBe(true);
});
