/**
 * Inference benchmark for the local model server: latency per image and images/s through the real
 * Rekognition SDK, beside the same model called in-process (the baseline, measured in this run), for both
 * kinds of model: the sample classifier on the pattern images and the sample detector on the shape images.
 *   npm run bench:inference [-- --models DIR --arn ARN] [--rounds N] [--concurrency N]
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DetectCustomLabelsCommand } from '@aws-sdk/client-rekognition';
import { listModelVersions, loadClassifier, trainDetectionModel, trainModel } from '../src/local/model';
import type { TrainingSettings } from '../src/local/model/model-file';
import { PROJECT_DIR } from '../src/local/stack/python-tools';
import { startModel, stopModel, withInstantModelServer } from '../test/support/rekognition';
import { sampleImages } from './sample-images';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    arn: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '4' },
  },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarise(
  name: string,
  latenciesMs: number[],
  { wallMs, cpuMs }: { wallMs: number; cpuMs: number },
): { imagesPerSecond: number } {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const imagesPerSecond = (sorted.length / wallMs) * 1000;
  console.log(
    `${name.padEnd(34)} n=${sorted.length}  mean ${mean.toFixed(1)} ms  p50 ${percentile(sorted, 50).toFixed(1)} ms  ` +
      `p95 ${percentile(sorted, 95).toFixed(1)} ms  ${imagesPerSecond.toFixed(1)} images/s  ` +
      `(this process's CPU ${(cpuMs / sorted.length).toFixed(1)} ms/image; ${load()})`,
  );
  return { imagesPerSecond };
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  return (await measured(work)).wallMs;
}

/**
 * Wall time, and this process's CPU time: on a machine other work shares, the CPU time is closer to what
 * the wall time would be on a quiet one (the WebAssembly backend runs on one thread).
 */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await work();
  const { user, system } = process.cpuUsage(cpuStarted);
  return { result, wallMs: performance.now() - started, cpuMs: (user + system) / 1000 };
}

function load(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`;
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
  const patterns = sampleImages().map((image) => image.body);
  if (values.models && values.arn) {
    await benchmark(values.models, values.arn, patterns);
    return;
  }
  const modelsDir = mkdtempSync(join(tmpdir(), 'clb-bench-models-'));
  const classification = await timedTraining('classification', () =>
    trainModel({ dataDir: join(PROJECT_DIR, 'sample-data'), project: 'bench', version: 'v1', modelsDir }),
  );
  await benchmark(modelsDir, classification, patterns);
  const detectionDir = join(PROJECT_DIR, 'sample-detection');
  const detection = await timedTraining('detection', () =>
    trainDetectionModel({
      manifestPath: join(detectionDir, 'train.manifest'),
      project: 'bench-detection',
      version: 'v1',
      modelsDir,
    }),
  );
  const shapes = readdirSync(join(detectionDir, 'images'))
    .sort()
    .map((name) => readFileSync(join(detectionDir, 'images', name)));
  await benchmark(modelsDir, detection, shapes);
}

async function timedTraining(
  kind: string,
  train: () => Promise<{ projectVersionArn: string; training: TrainingSettings }>,
): Promise<string> {
  const { result, wallMs, cpuMs } = await measured(train);
  const { work } = result.training;
  console.log(
    `\ntrained the sample ${kind} model in ${(wallMs / 1000).toFixed(1)} s ` +
      `(CPU ${(cpuMs / 1000).toFixed(1)} s; ${load()})` +
      (work ? `: ${work.backbonePasses} backbone passes, ${work.optimizerSteps} optimizer steps` : ''),
  );
  return result.projectVersionArn;
}

async function benchmark(modelsDir: string, arn: string, oneRound: Buffer[]): Promise<void> {
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const images = Array.from({ length: rounds }, () => oneRound).flat();
  const record = (await listModelVersions(modelsDir)).find((r) => r.projectVersionArn === arn);
  if (!record) throw new Error(`no model ${arn} in ${modelsDir}`);
  console.log(`${record.kind ?? 'classification'} model ${arn}; ${images.length} images`);
  const classifier = await loadClassifier(record);
  await classifier.classify(images[0]);
  const direct: number[] = [];
  const directRun = await measured(async () => {
    for (const image of images) direct.push(await timed(() => classifier.classify(image)));
  });
  const baseline = summarise('in-process (baseline)', direct, directRun);

  await withInstantModelServer(
    { modelsDir, transactionsPerSecondPerInferenceUnit: 10_000 },
    async (client) => {
      await startModel(client, arn, { timeoutMs: 120_000 });
      const detect = (image: Buffer) =>
        timed(() =>
          client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: arn, Image: { Bytes: image } })),
        );
      await detect(images[0]);

      const sequential: number[] = [];
      const sequentialRun = await measured(async () => {
        for (const image of images) sequential.push(await detect(image));
      });
      const viaServer = summarise('server, 1 request at a time', sequential, sequentialRun);

      const concurrent: number[] = [];
      let next = 0;
      const concurrentRun = await measured(() =>
        Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < images.length) concurrent.push(await detect(images[next++]));
          }),
        ),
      );
      const parallel = summarise(`server, ${concurrency} requests in flight`, concurrent, concurrentRun);
      console.log(
        `ratio server/baseline images/s: sequential ${(viaServer.imagesPerSecond / baseline.imagesPerSecond).toFixed(2)}, ` +
          `concurrent ${(parallel.imagesPerSecond / baseline.imagesPerSecond).toFixed(2)}`,
      );
      await stopModel(client, arn);
    },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
