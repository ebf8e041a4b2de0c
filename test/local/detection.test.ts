import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  StartProjectVersionCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  formatEvaluation,
  trainDetectionModel,
  type DetectionEvaluation,
  type DetectionModelFile,
  type TrainedDetectionModel,
} from '../../src/local/model';
import {
  evaluateDetector,
  fitDetector,
  mapDetectionImages,
} from '../../src/local/model/detection/detector-training';
import { imageSource } from '../../src/local/model/detection/image-source';
import { readDetectionManifest } from '../../src/local/model/detection/manifest';
import { stratifiedSplit } from '../../src/local/model/split';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import { writeShapeDetectionSet } from '../../scripts/shape-datasets';
import { projectArnOf, rekognitionClient, waitForStatus } from '../support/rekognition';
import { testEnv } from '../support/test-env';

const SAMPLE_DIR = join(PROJECT_DIR, 'sample-detection');
const BUCKET = 'detection-training-images';
const SPLIT_SEEDS = [1, 2, 3];

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'clb-detection-test-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('accuracy on generated images of 1–3 shapes at random places', () => {
  test('precision and recall of boxes at IoU ≥ 0.5 are at least 0.8 on every split seed', async () => {
    const dataset = await readDetectionManifest(
      await writeShapeDetectionSet(join(workDir, 'shapes'), { seed: 7, images: 120 }),
    );
    const source = imageSource(dataset.baseDir);
    // Mapped once, shared by every split: the splits differ only in which images the head learns from.
    const maps = await mapDetectionImages(dataset, source.read, () => undefined);
    const evaluations: DetectionEvaluation[] = SPLIT_SEEDS.map((seed) => {
      const split = stratifiedSplit(
        dataset.images.map(({ objects }) => objects[0].label),
        0.2,
        seed,
      );
      const head = fitDetector(dataset, maps, split.training, seed);
      return evaluateDetector(dataset, maps, head, split.heldOut, split.training.length);
    });
    const summary = evaluations.map(({ precision, recall }) => ({ precision, recall }));
    console.log(`detection over split seeds ${SPLIT_SEEDS.join(', ')}: ${JSON.stringify(summary)}`);
    for (const { precision, recall } of summary) {
      expect(precision).toBeGreaterThanOrEqual(0.8);
      expect(recall).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe('a detection model trained from a manifest of s3:// images, served', () => {
  let trained: TrainedDetectionModel;
  let server: LocalRekognitionServer;
  let client: RekognitionClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    const s3 = new S3Client({
      endpoint: testEnv('motoEndpoint'),
      region: 'us-east-1',
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const lines = (await readFile(join(SAMPLE_DIR, 'train.manifest'), 'utf8')).trim().split('\n');
    const s3Lines: string[] = [];
    for (const line of lines) {
      const entry = JSON.parse(line) as { 'source-ref': string };
      const key = `training/${entry['source-ref']}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: await readFile(join(SAMPLE_DIR, entry['source-ref'])),
        }),
      );
      s3Lines.push(JSON.stringify({ ...entry, 'source-ref': `s3://${BUCKET}/${key}` }));
    }
    s3.destroy();
    const manifestPath = join(workDir, 's3.manifest');
    await writeFile(manifestPath, s3Lines.join('\n') + '\n');
    trained = await trainDetectionModel({
      manifestPath,
      project: 'shapes',
      version: 'v1',
      modelsDir: join(workDir, 'models'),
      s3Endpoint: testEnv('motoEndpoint'),
      log: (line) => logLines.push(line),
    });
    server = await startLocalRekognitionServer({
      modelsDir: join(workDir, 'models'),
      startDelayMs: 0,
      stopDelayMs: 0,
    });
    client = rekognitionClient(server.url);
    await client.send(
      new StartProjectVersionCommand({ ProjectVersionArn: trained.projectVersionArn, MinInferenceUnits: 1 }),
    );
    await waitForStatus(client, trained.projectVersionArn, 'RUNNING', 60_000);
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  test('records its kind, labels, thresholds and evaluation in model.json', async () => {
    const saved = JSON.parse(await readFile(trained.modelPath, 'utf8')) as DetectionModelFile;
    expect(saved).toMatchObject({
      kind: 'detection',
      labels: ['circle', 'square', 'star', 'triangle'],
      featureMap: { layer: 'block_13_expand_relu', grid: 14 },
      evaluation: { matchIou: 0.5, heldOutCount: 11, trainingCount: 49 },
    });
    expect(saved.head.weights).toHaveLength(5);
    expect(Object.keys(saved.thresholds)).toEqual(saved.labels);
    expect(logLines).toContain('Mapped 60/60 images');
  });

  test('prints precision, recall and a per-label table', () => {
    const table = formatEvaluation(trained.evaluation);
    expect(table).toContain('Evaluation on 11 held-out images (trained on 49), object detection:');
    for (const label of trained.labels) expect(table).toMatch(new RegExp(`^${label} +\\d\\.\\d{3} `, 'm'));
    expect(table).toMatch(/Precision \d\.\d{3}, recall \d\.\d{3}, macro F1 \d\.\d{3}/);
  });

  test('DescribeProjectVersions says it is an object-detection model', async () => {
    const { ProjectVersionDescriptions = [] } = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(trained.projectVersionArn) }),
    );
    expect(ProjectVersionDescriptions[0].VersionDescription).toMatch(/^Object detection model/);
    expect(ProjectVersionDescriptions[0].EvaluationResult?.F1Score).toBe(trained.evaluation.macroF1);
  });

  test('DetectCustomLabels returns each shape with a bounding box in ratios of the image', async () => {
    const lines = (await readFile(join(SAMPLE_DIR, 'train.manifest'), 'utf8')).trim().split('\n');
    const first = JSON.parse(lines[0]) as { 'source-ref': string };
    const { CustomLabels = [] } = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: trained.projectVersionArn,
        Image: { Bytes: await readFile(join(SAMPLE_DIR, first['source-ref'])) },
        MinConfidence: 50,
      }),
    );
    expect(CustomLabels.length).toBeGreaterThanOrEqual(1);
    const confidences = CustomLabels.map(({ Confidence }) => Confidence);
    expect(confidences).toEqual([...confidences].sort((a = 0, b = 0) => b - a));
    for (const label of CustomLabels) {
      expect(trained.labels).toContain(label.Name);
      expect(label.Confidence).toBeGreaterThanOrEqual(50);
      const { Width = NaN, Height = NaN, Left = NaN, Top = NaN } = label.Geometry?.BoundingBox ?? {};
      expect(Math.min(Width, Height, Left, Top)).toBeGreaterThanOrEqual(0);
      expect(Left + Width).toBeLessThanOrEqual(1 + 1e-9);
      expect(Top + Height).toBeLessThanOrEqual(1 + 1e-9);
    }
  });
});

describe('bad manifests', () => {
  async function manifest(lines: string[]): Promise<string> {
    const file = join(await mkdtemp(join(workDir, 'bad-')), 'bad.manifest');
    await writeFile(file, lines.join('\n'));
    return file;
  }

  test('a line that is not JSON, or has no source-ref, is named', async () => {
    await expect(readDetectionManifest(await manifest(['{"source-ref": ']))).rejects.toThrow(
      /bad\.manifest line 1 is not JSON/,
    );
    await expect(readDetectionManifest(await manifest(['{}']))).rejects.toThrow(/line 1 has no "source-ref"/);
  });

  test('a classification line, or a class_id missing from the class-map', async () => {
    const classification = JSON.stringify({
      'source-ref': 'a.jpg',
      label: 1,
      'label-metadata': { type: 'groundtruth/image-classification', 'class-name': 'circle' },
    });
    await expect(readDetectionManifest(await manifest([classification]))).rejects.toThrow(
      /line 1 has no bounding-box label attribute/,
    );
    const unknownClass = JSON.stringify({
      'source-ref': 'a.jpg',
      boxes: {
        image_size: [{ width: 10, height: 10 }],
        annotations: [{ class_id: 3, left: 0, top: 0, width: 5, height: 5 }],
      },
      'boxes-metadata': { type: 'groundtruth/object-detection', 'class-map': { '0': 'circle' } },
    });
    await expect(readDetectionManifest(await manifest([unknownClass]))).rejects.toThrow(
      /line 1: class_id 3 is not in the class-map/,
    );
  });
});
