import { Runtime, type MetricsExporterConfig } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { createLogger, defaultLogFormat, PinoSdkLogger } from './logger';
import { HISTOGRAM_BUCKETS } from './metric-names';

export type TelemetrySettings = Partial<Pick<Config, 'metricsBindAddress' | 'otlpEndpoint' | 'logFormat'>>;

/**
 * Where the metrics (the SDK's and ours) go: the Prometheus endpoint when there is one, else the OTLP
 * collector. Never both: the Temporal Runtime has one metrics exporter. With both settings the collector
 * gets the traces and Prometheus the metrics, the usual split (scraped metrics, pushed traces).
 * Seconds, units in names, `_total` on counters: Prometheus's conventions.
 */
export function metricsExporter(settings: TelemetrySettings): MetricsExporterConfig | undefined {
  const shared = { useSecondsForDurations: true, histogramBucketOverrides: HISTOGRAM_BUCKETS };
  if (settings.metricsBindAddress) {
    return {
      prometheus: {
        bindAddress: settings.metricsBindAddress,
        countersTotalSuffix: true,
        unitSuffix: true,
        ...shared,
      },
    };
  }
  if (settings.otlpEndpoint) return { otel: { url: settings.otlpEndpoint, ...shared } };
  return undefined;
}

/** For the worker's start line: where its metrics can be read. */
export function metricsDestination(settings: TelemetrySettings): string | undefined {
  if (settings.metricsBindAddress) return `http://${settings.metricsBindAddress}/metrics`;
  return settings.otlpEndpoint && `OTLP ${settings.otlpEndpoint}`;
}

/**
 * Installs the process's Temporal Runtime: its logger (pino, so SDK, workflow and activity lines are
 * structured) and its metrics exporter. Must run before any NativeConnection or Worker, once per process.
 */
export function installTelemetry(
  settings: TelemetrySettings,
  logs: { level?: string; out?: NodeJS.WriteStream } = {},
): Logger {
  const out = logs.out ?? process.stdout;
  const logger = createLogger(settings.logFormat ?? defaultLogFormat(out), logs.level, out);
  const metrics = metricsExporter(settings);
  Runtime.install({
    logger: new PinoSdkLogger(logger),
    ...(metrics && { telemetryOptions: { metrics } }),
  });
  return logger;
}
