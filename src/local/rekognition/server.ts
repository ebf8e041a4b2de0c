import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { listModelVersions, loadClassifier } from '../model';
import { invalidParameter } from './errors';
import { Faults, type FaultRequest } from './faults';
import { createRequestHandler } from './http';
import { createInstantScorer } from './instant-scorer';
import type { LifecycleSettings } from './model-version';
import { createOperations } from './operations';
import type { VersionUsage } from './usage';
import { VersionRegistry } from './version-registry';

export interface LocalRekognitionServerOptions {
  /** Folder of trained models (`<project>/<version>/model.json`), as written by `local train`. */
  modelsDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where Image.S3Object is read from, e.g. moto; the real S3 when omitted. */
  s3Endpoint?: string;
  region?: string;
  startDelayMs?: number;
  stopDelayMs?: number;
  transactionsPerSecondPerInferenceUnit?: number;
  /** Benchmark mode: answer without running the network (fixed label per image). Never the default. */
  benchmarkInstantInference?: boolean;
  /** Benchmark mode: each call occupies the model this long, one call at a time (default 0: instant). */
  benchmarkInferenceMs?: number;
  log?: (line: string) => void;
  /** Time source of throughput and usage accounting; tests freeze it to make throttling exact. */
  clock?: () => number;
}

export interface LocalRekognitionServer {
  url: string;
  port: number;
  injectFault(request: FaultRequest): void;
  clearFaults(): void;
  usage(): { versions: VersionUsage[] };
  close(): Promise<void>;
}

export const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  region: 'us-east-1',
  startDelayMs: 5_000,
  stopDelayMs: 2_000,
  transactionsPerSecondPerInferenceUnit: 5,
};

export async function startLocalRekognitionServer(
  options: LocalRekognitionServerOptions,
): Promise<LocalRekognitionServer> {
  const settings = { ...SERVER_DEFAULTS, ...withoutUndefined(options) };
  const log = options.log ?? (() => undefined);
  const now = options.clock ?? Date.now;
  const faults = new Faults(now);
  const lifecycle: LifecycleSettings = {
    startDelayMs: settings.startDelayMs,
    stopDelayMs: settings.stopDelayMs,
    transactionsPerSecondPerInferenceUnit: settings.transactionsPerSecondPerInferenceUnit,
    loadScorer: options.benchmarkInstantInference
      ? (record) => Promise.resolve(createInstantScorer(record, options.benchmarkInferenceMs))
      : loadClassifier,
    faults,
    log,
    now,
  };
  const registry = new VersionRegistry(() => listModelVersions(options.modelsDir), lifecycle);
  const s3 = new S3Client({ region: settings.region, endpoint: options.s3Endpoint, forcePathStyle: true });
  const usage = () => ({ versions: registry.all().map((version) => version.usageReport()) });

  const handler = createRequestHandler(
    createOperations(registry, s3, faults),
    {
      'GET /local/health': () => ({ ok: true }),
      'GET /local/usage': usage,
      'POST /local/faults': (body) => {
        if (typeof body !== 'object' || body === null)
          throw invalidParameter('POST /local/faults takes a JSON object.');
        faults.inject(body);
        return { ok: true };
      },
      'DELETE /local/faults': () => {
        faults.clear();
        return { ok: true };
      },
    },
    log,
  );
  const server = createServer(handler);
  await listen(server, settings.port ?? 0, settings.host);
  const { port } = server.address() as AddressInfo;
  log(`local Rekognition server on http://${settings.host}:${port} serving ${options.modelsDir}`);

  return {
    url: `http://${settings.host}:${port}`,
    port,
    injectFault: (request) => faults.inject(request),
    clearFaults: () => faults.clear(),
    usage,
    async close() {
      registry.dispose();
      s3.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is already in use: stop what uses it or pass another --port.`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
