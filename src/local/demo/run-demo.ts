import { createAwsClients } from '../../aws-clients';
import { followBatch, startBatchNow } from '../../batch-runs';
import { batchCostLines } from '../../cost/batch-cost-lines';
import { pricesFrom } from '../../cost/prices';
import { createProgressPrinter, progressLine } from '../../cli/progress-line';
import { statusLog } from '../../cli/status-log';
import { loadConfig, loadConfigSubset } from '../../config/config';
import { provisionRequestFromConfig, provisionResources } from '../../provision';
import { upsertSchedule } from '../../schedule';
import { connectClient, connectWorker } from '../../temporal-connection';
import { installTelemetry } from '../../observability/telemetry';
import { createBatchWorkers } from '../../worker';
import { assertPortFree } from '../stack/free-port';
import { downloadBucket, uploadFolder } from './image-files';
import { SAMPLE_MODELS, startLocalStack, type LocalStackPorts, type SampleModelKind } from './local-stack';

/** Prometheus's registry lists 9464 for OpenTelemetry's Prometheus exporter: free of this stack's ports. */
export const DEFAULT_METRICS_PORT = 9464;

export interface DemoOptions {
  /** The sample model to run; its sample images are sent unless `images` is given. */
  model: SampleModelKind;
  images?: string;
  out: string;
  keep: boolean;
  ports: LocalStackPorts;
  /** The worker's Prometheus endpoint, on 127.0.0.1. */
  metricsPort: number;
}

/**
 * `npm start`: the whole product on this machine. Starts the local stack, provisions, uploads the
 * images, ensures the hourly schedule, runs one batch now with a live progress line, downloads the
 * results and prints the summary as JSON on the last line.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { logFormat } = loadConfigSubset(process.env, {}, ['logFormat']);
  const status = statusLog(logFormat);
  const log = (line: string) => status.info(line);
  await assertPortFree(options.metricsPort, 'the metrics endpoint', '--metrics-port');
  const metricsBindAddress = `127.0.0.1:${options.metricsPort}`;
  // Retries and worker life-cycle events would tear through the progress line; errors still show,
  // on stderr: stdout's last line is the summary.
  installTelemetry({ metricsBindAddress, logFormat }, { level: 'error', out: process.stderr });
  log(`metrics: curl http://${metricsBindAddress}/metrics (--metrics-port moves it)`);
  const stack = await startLocalStack(options.ports, options.model, log);
  Object.assign(process.env, stack.env);
  let stopWorker: (() => void) | undefined;
  let workerDone: Promise<void> | undefined;
  try {
    const edgeConfig = loadConfig(process.env);
    const clients = createAwsClients(edgeConfig);
    const resources = await provisionResources(clients, provisionRequestFromConfig(edgeConfig));
    // The queue URLs as the service returned them.
    const config = {
      ...edgeConfig,
      queueUrl: resources.queueUrl,
      deadLetterQueueUrl: resources.deadLetterQueueUrl,
    };
    const imagesDir = options.images ?? SAMPLE_MODELS[options.model].images;
    const uploaded = await uploadFolder(clients.s3, config.sourceBucket, imagesDir);
    log(`uploaded ${uploaded.length} files from ${imagesDir} to s3://${config.sourceBucket}`);

    const { connection, namespace } = await connectWorker();
    const workers = await createBatchWorkers({ connection, namespace, config, deps: clients });
    stopWorker = () => workers.shutdown();
    workerDone = workers.run().finally(() => connection.close());

    const temporal = await connectClient();
    await upsertSchedule(temporal.client, config);
    const handle = await startBatchNow(temporal.client, config);
    log(
      `batch ${handle.workflowId} started · watch it at ${stack.temporal.uiUrl}/namespaces/${namespace}/workflows/${handle.workflowId}`,
    );
    const printer = createProgressPrinter(status);
    const summary = await followBatch(handle, (progress) =>
      printer.update(progressLine(progress, progress.queuedAtStart || uploaded.length), progress),
    ).finally(() => printer.finish());

    const downloaded = await downloadBucket(clients.s3, config.resultsBucket, options.out);
    log(`downloaded ${downloaded.length} result files to ${options.out}`);
    if (!summary.queueWasEmpty) {
      for (const line of await batchCostLines(
        temporal.client,
        handle.workflowId,
        summary,
        pricesFrom(config),
      ))
        log(line);
    }
    await temporal.close();
    if (options.keep) {
      log(
        `--keep: the stack, worker and hourly schedule keep running. Web UI: ${stack.temporal.uiUrl} · Ctrl-C stops all.`,
      );
    }
    console.log(JSON.stringify(summary));
    if (options.keep) await waitForInterrupt();
  } finally {
    stopWorker?.();
    await workerDone?.catch(() => undefined);
    await stack.stop();
  }
}

function waitForInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
