import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import { trainDetectionModel } from '../../src/local/model';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import { outputKeys } from '../../src/workflows/output-keys';
import { realStackPerFile, withTestPipeline } from '../support/test-pipeline';
import { TEST_CONTINUE_AS_NEW_EVENTS } from '../support/test-env';

const SAMPLE_DIR = join(PROJECT_DIR, 'sample-detection');
const IMAGES = ['images/shapes-001.jpg', 'images/shapes-002.png', 'images/shapes-003.jpg'];

let modelsDir: string;
let projectVersionArn: string;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'clb-e2e-detection-'));
  ({ projectVersionArn } = await trainDetectionModel({
    manifestPath: join(SAMPLE_DIR, 'train.manifest'),
    project: 'sample-shapes',
    version: 'e2e',
    modelsDir,
  }));
});

afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

const realStack = realStackPerFile(() => modelsDir);

it('writes the boxes of an object-detection model into each image’s labels JSON', async () => {
  const { temporal } = realStack();
  const settings = {
    PROJECT_VERSION_ARN: projectVersionArn,
    CONTINUE_AS_NEW_AFTER_EVENTS: String(TEST_CONTINUE_AS_NEW_EVENTS),
  };
  await withTestPipeline(realStack(), 'e2e-det', settings, async ({ config, clients }) => {
    for (const key of IMAGES) {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: config.sourceBucket,
          Key: key,
          Body: await readFile(join(SAMPLE_DIR, key)),
        }),
      );
    }
    const summary = await followBatch(await startBatchNow(temporal.client, config), () => undefined, 200);
    expect(summary.counts).toMatchObject({ processed: IMAGES.length, failed: 0 });
    for (const key of IMAGES) {
      const { Body } = await clients.s3.send(
        new GetObjectCommand({ Bucket: config.resultsBucket, Key: outputKeys(key).labels }),
      );
      const { customLabels } = JSON.parse(await Body!.transformToString()) as {
        customLabels: Array<{ Name: string; Geometry?: { BoundingBox?: Record<string, number> } }>;
      };
      expect(customLabels.length).toBeGreaterThanOrEqual(1);
      for (const label of customLabels) {
        expect(label.Geometry?.BoundingBox).toEqual({
          Width: expect.any(Number),
          Height: expect.any(Number),
          Left: expect.any(Number),
          Top: expect.any(Number),
        });
      }
    }
  });
});
