import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/local/stack/free-port';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';

export interface Scrape {
  /** Seconds since the first scrape. */
  at: number;
  text: string;
}

const SCRAPE_INTERVAL_MS = 500;

/**
 * Runs `npm start -- --keep` (the local stack, one batch of the sample images, its worker's metrics
 * endpoint) on ports of its own, scraping /metrics every half second from the first answer until the
 * batch's summary is printed, then once more, and stops it (Ctrl-C). Returns the scrapes.
 */
export async function scrapeDemoRun(log: (line: string) => void): Promise<Scrape[]> {
  const metricsPort = await freePort();
  const ports = ['--temporal-port', '--ui-port', '--moto-port', '--model-port'];
  const portArgs: string[] = [];
  for (const flag of ports) portArgs.push(flag, String(await freePort()));
  const out = mkdtempSync(join(tmpdir(), 'clb-metrics-chart-'));
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_DIR, 'bin/custom-labels-batch.js'),
      'local',
      'start',
      '--keep',
      '--out',
      out,
      '--metrics-port',
      String(metricsPort),
      ...portArgs,
    ],
    { cwd: PROJECT_DIR, env: { ...process.env, LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stderr.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  let summaryPrinted = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('"counts"')) summaryPrinted = true;
  });
  const scrapes: Scrape[] = [];
  let first: number | undefined;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`npm start exited (${child.exitCode}) before the batch ended`);
      const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((response) => response.text())
        .catch(() => undefined);
      if (text !== undefined) {
        first ??= performance.now();
        scrapes.push({ at: (performance.now() - first) / 1000, text });
      }
      if (summaryPrinted && text !== undefined) return scrapes;
      await new Promise((resolve) => setTimeout(resolve, SCRAPE_INTERVAL_MS));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}
