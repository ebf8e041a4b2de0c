import type { Command } from 'commander';
import { parseDuration } from '../config/duration';
import { UserError } from '../config/user-error';
import { formatEvaluation, trainDetectionModel, trainModel } from './model';
import { SERVER_DEFAULTS, startLocalRekognitionServer } from './rekognition';
import { DEFAULT_PORTS } from './demo/local-stack';
import { DEFAULT_METRICS_PORT, runDemo } from './demo/run-demo';
import { ensurePythonTools } from './stack/python-tools';

export const DEFAULT_MODELS_DIR = '.local/models';

/** The subcommands of `local …`: tools that stand in for AWS on a laptop. Never used by the production paths. */
export function addLocalSubcommands(local: Command): void {
  local
    .command('start')
    .description(
      'Run the whole pipeline on this machine: local Temporal, moto and model server; upload images; run one batch; download results.',
    )
    .option(
      '--images <dir>',
      'folder of files to upload (nested folders are fine); default: the sample dataset',
    )
    .option(
      '--model <kind>',
      'sample model: classification (patterns) or detection (shapes, labels with bounding boxes)',
      'classification',
    )
    .option('--out <dir>', 'where to download the results', 'results')
    .option('--keep', 'leave the stack, worker and hourly schedule running (Ctrl-C stops them)')
    .option('--temporal-port <port>', 'Temporal frontend port', String(DEFAULT_PORTS.temporal))
    .option('--ui-port <port>', 'Temporal Web UI port', String(DEFAULT_PORTS.temporalUi))
    .option('--moto-port <port>', 'moto (S3/SQS) port', String(DEFAULT_PORTS.moto))
    .option('--model-port <port>', 'local Rekognition server port', String(DEFAULT_PORTS.model))
    .option('--metrics-port <port>', "the worker's Prometheus endpoint port", String(DEFAULT_METRICS_PORT))
    .action(async (options: StartOptions) => {
      if (options.model !== 'classification' && options.model !== 'detection') {
        throw new UserError(
          `--model must be classification or detection; got ${JSON.stringify(options.model)}.`,
        );
      }
      await runDemo({
        model: options.model,
        images: options.images,
        out: options.out,
        keep: options.keep === true,
        ports: {
          temporal: port(options.temporalPort, '--temporal-port'),
          temporalUi: port(options.uiPort, '--ui-port'),
          moto: port(options.motoPort, '--moto-port'),
          model: port(options.modelPort, '--model-port'),
        },
        metricsPort: port(options.metricsPort, '--metrics-port'),
      });
    });

  local
    .command('setup')
    .description('Install the pinned local tools (moto, …) into the git-ignored .venv.')
    .action(() => {
      ensurePythonTools((line) => console.log(line));
      console.log('local tools are installed in .venv');
    });

  local
    .command('serve')
    .description(
      'Serve trained models over the Rekognition JSON API (DescribeProjectVersions, Start/StopProjectVersion, DetectCustomLabels).',
    )
    .option('--port <port>', 'port to listen on', '9470')
    .option('--host <host>', 'address to listen on', SERVER_DEFAULTS.host)
    .option('--models <dir>', 'folder of trained models', DEFAULT_MODELS_DIR)
    .option(
      '--s3-endpoint <url>',
      'S3 endpoint Image.S3Object is read from (e.g. moto); real S3 when omitted',
    )
    .option('--region <region>', 'AWS region', SERVER_DEFAULTS.region)
    .option('--start-delay <duration>', 'time from STARTING to RUNNING', `${SERVER_DEFAULTS.startDelayMs}ms`)
    .option('--stop-delay <duration>', 'time from STOPPING to STOPPED', `${SERVER_DEFAULTS.stopDelayMs}ms`)
    .option(
      '--tps-per-unit <n>',
      'DetectCustomLabels transactions per second each inference unit serves',
      String(SERVER_DEFAULTS.transactionsPerSecondPerInferenceUnit),
    )
    .option(
      '--benchmark-instant-inference',
      'benchmark mode: answer without running the model (fixed label per image)',
    )
    .action(async (options: ServeOptions) => {
      const server = await startLocalRekognitionServer({
        port: positiveNumber(options.port, '--port', { allowZero: true }),
        host: options.host,
        modelsDir: options.models,
        s3Endpoint: options.s3Endpoint,
        region: options.region,
        startDelayMs: parseDuration(options.startDelay, '--start-delay'),
        stopDelayMs: parseDuration(options.stopDelay, '--stop-delay'),
        transactionsPerSecondPerInferenceUnit: positiveNumber(options.tpsPerUnit, '--tps-per-unit'),
        benchmarkInstantInference: options.benchmarkInstantInference === true,
        log: (line) => console.log(line),
      });
      if (options.benchmarkInstantInference) {
        console.log('BENCHMARK MODE: answers are fixed labels, the model is not run.');
      }
      const shutDown = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', shutDown);
      process.once('SIGTERM', shutDown);
    });

  local
    .command('train')
    .description(
      'Train a model version, prints its ARN: a classifier on a folder with one sub-folder of images per label, or an object detector on a Ground Truth bounding-box manifest.',
    )
    .option('--data <dir>', 'classification: folder with one sub-folder per label')
    .option(
      '--manifest <file>',
      'object detection: SageMaker Ground Truth bounding-box manifest (source-refs relative to it, or s3://)',
    )
    .option('--s3-endpoint <url>', "where the manifest's s3:// images are read from (e.g. moto)")
    .requiredOption('--project <name>', 'project name')
    .option('--version <name>', 'version name (default: derived from the time)')
    .option('--models <dir>', 'folder of trained models', DEFAULT_MODELS_DIR)
    .option('--region <region>', 'region in the ARN', SERVER_DEFAULTS.region)
    .option('--account <id>', '12-digit account id in the ARN', '123456789012')
    .action(async (options: TrainOptions) => {
      const { data, manifest } = options;
      if ((data === undefined) === (manifest === undefined)) {
        throw new UserError('Give exactly one of --data (classification) or --manifest (object detection).');
      }
      const common = {
        project: options.project,
        version: options.version,
        modelsDir: options.models,
        region: options.region,
        account: options.account,
        log: (line: string) => console.error(line),
      };
      const model =
        data === undefined
          ? await trainDetectionModel({
              ...common,
              manifestPath: String(manifest),
              s3Endpoint: options.s3Endpoint,
            })
          : await trainModel({ ...common, dataDir: data });
      console.error(formatEvaluation(model.evaluation));
      console.log(model.projectVersionArn);
    });
}

interface StartOptions {
  model: string;
  images?: string;
  out: string;
  keep?: boolean;
  temporalPort: string;
  uiPort: string;
  motoPort: string;
  modelPort: string;
  metricsPort: string;
}

interface ServeOptions {
  port: string;
  host: string;
  models: string;
  s3Endpoint?: string;
  region: string;
  startDelay: string;
  stopDelay: string;
  tpsPerUnit: string;
  benchmarkInstantInference?: boolean;
}

interface TrainOptions {
  data?: string;
  manifest?: string;
  s3Endpoint?: string;
  project: string;
  version?: string;
  models: string;
  region: string;
  account: string;
}

function port(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UserError(`${flag} must be a port number from 1 to 65535; got ${JSON.stringify(text)}.`);
  }
  return value;
}

function positiveNumber(text: string, flag: string, { allowZero = false } = {}): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UserError(
      `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number; got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}
