import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listModelVersions, OutdatedModelError, trainDetectionModel, trainModel } from '../model';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../rekognition';
import { assertPortFree } from '../stack/free-port';
import { startMoto, type MotoServer } from '../stack/moto';
import { ensurePythonTools, PROJECT_DIR } from '../stack/python-tools';
import { startTemporalDevServer, type TemporalDevServer } from '../stack/temporal-dev-server';

export const LOCAL_DATA_DIR = join(PROJECT_DIR, '.local');
export const MODELS_DIR = join(LOCAL_DATA_DIR, 'models');
const SAMPLE_VERSION = 'v1';

/** Which sample model the demo runs: the pattern classifier, or the shape detector that returns boxes. */
export type SampleModelKind = 'classification' | 'detection';

/** Each sample model, what it is trained on, and the images the demo sends it by default. */
export const SAMPLE_MODELS: Record<
  SampleModelKind,
  { project: string; trainingData: string; images: string }
> = {
  classification: {
    project: 'sample-patterns',
    trainingData: join(PROJECT_DIR, 'sample-data'),
    images: join(PROJECT_DIR, 'sample-data'),
  },
  detection: {
    project: 'sample-shapes',
    trainingData: join(PROJECT_DIR, 'sample-detection', 'train.manifest'),
    images: join(PROJECT_DIR, 'sample-detection', 'images'),
  },
};

export interface LocalStackPorts {
  temporal: number;
  temporalUi: number;
  moto: number;
  model: number;
}

export const DEFAULT_PORTS: LocalStackPorts = { temporal: 7233, temporalUi: 8233, moto: 5055, model: 9470 };

export interface LocalStack {
  temporal: TemporalDevServer;
  moto: MotoServer;
  modelServer: LocalRekognitionServer;
  projectVersionArn: string;
  /** The environment the pipeline's config reads, pointing every client at this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The sample model, trained once into .local/models and reused after. That folder belongs to the demo, so
 * models an older version of this project trained there are replaced rather than reported.
 */
export async function sampleModelArn(
  log: (line: string) => void,
  kind: SampleModelKind = 'classification',
): Promise<string> {
  const { project, trainingData } = SAMPLE_MODELS[kind];
  const existing = (await demoModelVersions(log)).find(
    (v) => v.projectName === project && v.versionName === SAMPLE_VERSION,
  );
  if (existing) return existing.projectVersionArn;
  log(`training the sample ${kind} model on ${trainingData} (once)…`);
  const version = { project, version: SAMPLE_VERSION, modelsDir: MODELS_DIR };
  const model =
    kind === 'detection'
      ? await trainDetectionModel({ ...version, manifestPath: trainingData })
      : await trainModel({ ...version, dataDir: trainingData });
  return model.projectVersionArn;
}

async function demoModelVersions(log: (line: string) => void) {
  try {
    return await listModelVersions(MODELS_DIR);
  } catch (error) {
    if (!(error instanceof OutdatedModelError)) throw error;
    log(`${error.message} Retraining the demo's models from scratch.`);
    await rm(MODELS_DIR, { recursive: true, force: true });
    return [];
  }
}

/**
 * Everything the pipeline talks to, on this machine: a Temporal dev server (SQLite in .local/, Web UI),
 * moto for S3 and SQS, and the local Rekognition server with the sample model.
 */
export async function startLocalStack(
  ports: LocalStackPorts,
  model: SampleModelKind,
  log: (line: string) => void,
): Promise<LocalStack> {
  ensurePythonTools(log);
  await assertPortFree(ports.temporal, 'Temporal', '--temporal-port');
  await assertPortFree(ports.temporalUi, 'Temporal Web UI', '--ui-port');
  await assertPortFree(ports.moto, 'moto (S3/SQS)', '--moto-port');
  await assertPortFree(ports.model, 'local Rekognition server', '--model-port');
  mkdirSync(LOCAL_DATA_DIR, { recursive: true });

  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
  };
  try {
    const projectVersionArn = await sampleModelArn(log, model);
    const [temporal, moto] = await Promise.all([
      startTemporalDevServer({
        port: ports.temporal,
        uiPort: ports.temporalUi,
        dbFilename: join(LOCAL_DATA_DIR, 'temporal.db'),
      }),
      startMoto(ports.moto),
    ]);
    started.push(temporal, moto);
    const modelServer = await startLocalRekognitionServer({
      port: ports.model,
      modelsDir: MODELS_DIR,
      s3Endpoint: moto.endpoint,
      startDelayMs: 3_000,
      stopDelayMs: 1_000,
    });
    started.push({ stop: () => modelServer.close() });
    log(
      `Temporal ${temporal.address} (Web UI ${temporal.uiUrl}) · moto ${moto.endpoint} · model server ${modelServer.url}`,
    );
    return {
      temporal,
      moto,
      modelServer,
      projectVersionArn,
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: 'default',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ENDPOINT_URL_REKOGNITION: modelServer.url,
        AWS_REGION: 'us-east-1',
        // moto accepts any credentials; these only satisfy the SDK's provider chain locally.
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        PROJECT_VERSION_ARN: projectVersionArn,
        SOURCE_BUCKET: 'custom-labels-source',
        RESULTS_BUCKET: 'custom-labels-results',
        QUEUE_URL: `${moto.endpoint}/123456789012/custom-labels-images`,
        STATUS_POLL_INTERVAL: '1s',
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
