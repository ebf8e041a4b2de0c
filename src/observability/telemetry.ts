import { Runtime, type MetricsExporterConfig } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { createLogger, defaultLogFormat, PinoSdkLogger } from './logger';
import { HISTOGRAM_BUCKETS } from './metric-names';

export type TelemetrySettings = Partial<Pick<Config, 'metricsBindAddress' | 'otlpEndpoint' | 'logFormat'>>;

/** Seconds, units in names, `_total` on counters: Prometheus's conventions, for the SDK's metrics and ours. */
function metricsExporter(settings: TelemetrySettings): MetricsExporterConfig | undefined {
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
