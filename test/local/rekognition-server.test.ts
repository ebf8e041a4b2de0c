import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  ListTagsForResourceCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ProjectVersionStatus,
  type RekognitionClient,
  type StartProjectVersionCommandInput,
} from '@aws-sdk/client-rekognition';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import {
  projectArnOf,
  rekognitionClient,
  sampleImage,
  sampleLabels,
  errorNameOf,
  solidPng,
  startModel,
  statusOf,
  stopModel,
  waitForStatus,
  withInstantModelServer,
} from '../support/rekognition';
import { testEnv } from '../support/test-env';

const START_DELAY_MS = 1000;
const STOP_DELAY_MS = 200;
const BUCKET = 'rekognition-server-images';

let modelsDir: string;
let modelArn: string;
let secondVersionArn: string;
let server: LocalRekognitionServer;
let client: RekognitionClient;
let s3: S3Client;

/** A second version of the sample project: the trained model copied under another name and ARN. */
function addSecondVersion(): string {
  const source = join(testEnv('modelsDir'), 'sample-patterns', 'test');
  const target = join(modelsDir, 'sample-patterns', 'second');
  cpSync(source, target, { recursive: true });
  const model = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')) as Record<string, unknown>;
  const createdAt = (model.createdAt as number) + 1000;
  const arn = `${projectArnOf(modelArn).replace(/\/\d+$/, '')}/version/second/${createdAt}`;
  writeFileSync(
    join(target, 'model.json'),
    JSON.stringify({ ...model, versionName: 'second', createdAt, projectVersionArn: arn }),
  );
  return arn;
}

beforeAll(async () => {
  modelArn = testEnv('modelArn');
  modelsDir = mkdtempSync(join(tmpdir(), 'clb-server-models-'));
  // The suite's trained version alone: other test files add versions of their own to the shared folder.
  cpSync(join(testEnv('modelsDir'), 'sample-patterns', 'test'), join(modelsDir, 'sample-patterns', 'test'), {
    recursive: true,
  });
  secondVersionArn = addSecondVersion();
  server = await startLocalRekognitionServer({
    modelsDir,
    s3Endpoint: testEnv('motoEndpoint'),
    startDelayMs: START_DELAY_MS,
    stopDelayMs: STOP_DELAY_MS,
    transactionsPerSecondPerInferenceUnit: 1000,
  });
  client = rekognitionClient(server.url);
  // Load the network once, so the lifecycle below runs on the configured delays alone.
  await startModel(client, modelArn);
  await stopModel(client, modelArn);
  s3 = new S3Client({ endpoint: testEnv('motoEndpoint'), forcePathStyle: true, region: 'us-east-1' });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  client.destroy();
  s3.destroy();
  await server.close();
});

afterEach(() => server.clearFaults());

describe('DescribeProjectVersions', () => {
  it('lists the project versions newest first, with status and evaluation', async () => {
    const { ProjectVersionDescriptions: versions } = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn) }),
    );
    expect(versions?.map((v) => v.ProjectVersionArn)).toEqual([secondVersionArn, modelArn]);
    expect(versions?.[1]).toMatchObject({
      Status: 'STOPPED',
      EvaluationResult: { F1Score: expect.any(Number) },
    });
    expect(versions?.[1].CreationTimestamp).toBeInstanceOf(Date);
  });

  it('filters by VersionNames and pages with MaxResults and NextToken', async () => {
    const projectArn = projectArnOf(modelArn);
    const filtered = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: ['test'] }),
    );
    expect(filtered.ProjectVersionDescriptions?.map((v) => v.ProjectVersionArn)).toEqual([modelArn]);

    const first = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArn, MaxResults: 1 }),
    );
    expect(first.ProjectVersionDescriptions).toHaveLength(1);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(
      new DescribeProjectVersionsCommand({
        ProjectArn: projectArn,
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.ProjectVersionDescriptions?.[0].ProjectVersionArn).toBe(modelArn);
    expect(second.NextToken).toBeUndefined();
  });

  it('rejects unknown projects, malformed ARNs, bad MaxResults and foreign tokens', async () => {
    await expect(
      client.send(
        new DescribeProjectVersionsCommand({
          ProjectArn: 'arn:aws:rekognition:us-east-1:123456789012:project/nope/1',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(new DescribeProjectVersionsCommand({ ProjectArn: 'sample-patterns' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('ProjectArn'),
    });
    await expect(
      client.send(new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn), MaxResults: 0 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('MaxResults'),
    });
    await expect(
      client.send(
        new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn), NextToken: 'garbage' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('NextToken'),
    });
  });
});

describe('lifecycle', () => {
  it('walks STOPPED → STARTING → RUNNING → STOPPING → STOPPED with the configured delays', async () => {
    const startedAt = Date.now();
    const started = await client.send(
      new StartProjectVersionCommand({
        ProjectVersionArn: modelArn,
        MinInferenceUnits: 1,
        MaxInferenceUnits: 2,
      }),
    );
    expect(started.Status).toBe('STARTING');
    expect(await statusOf(client, modelArn)).toBe('STARTING');
    await expect(
      client.send(new StartProjectVersionCommand({ ProjectVersionArn: modelArn, MinInferenceUnits: 1 })),
    ).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining('STARTING') });
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { Bytes: sampleImage(sampleLabels()[0]) },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotReadyException',
      message: expect.stringContaining('STARTING'),
    });

    await waitForStatus(client, modelArn, 'RUNNING');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(START_DELAY_MS);
    const { ProjectVersionDescriptions } = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn), VersionNames: ['test'] }),
    );
    expect(ProjectVersionDescriptions?.[0]).toMatchObject({ MinInferenceUnits: 1, MaxInferenceUnits: 2 });
    await expect(
      client.send(new StartProjectVersionCommand({ ProjectVersionArn: modelArn, MinInferenceUnits: 1 })),
    ).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining('RUNNING') });

    const stoppingAt = Date.now();
    const stopped = await client.send(new StopProjectVersionCommand({ ProjectVersionArn: modelArn }));
    expect(stopped.Status).toBe('STOPPING');
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { Bytes: sampleImage(sampleLabels()[0]) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotReadyException' });
    await expect(
      client.send(new StopProjectVersionCommand({ ProjectVersionArn: modelArn })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await waitForStatus(client, modelArn, 'STOPPED');
    expect(Date.now() - stoppingAt).toBeGreaterThanOrEqual(STOP_DELAY_MS);
  });

  it('rejects unknown versions, a missing MinInferenceUnits and Max below Min', async () => {
    const unknown = modelArn.replace('/version/test/', '/version/missing/');
    await expect(
      client.send(new StartProjectVersionCommand({ ProjectVersionArn: unknown, MinInferenceUnits: 1 })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining(unknown) });
    await expect(
      client.send(new StopProjectVersionCommand({ ProjectVersionArn: unknown })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: unknown,
          Image: { Bytes: await solidPng(64, 64) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(
        new StartProjectVersionCommand({ ProjectVersionArn: modelArn } as StartProjectVersionCommandInput),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('MinInferenceUnits'),
    });
    await expect(
      client.send(
        new StartProjectVersionCommand({
          ProjectVersionArn: modelArn,
          MinInferenceUnits: 2,
          MaxInferenceUnits: 1,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('MaxInferenceUnits'),
    });
    await expect(
      client.send(new StopProjectVersionCommand({ ProjectVersionArn: modelArn })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: expect.stringContaining('STOPPED'),
    });
  });

  it('ends an injected failed start in FAILED with a reason, and can be started again', async () => {
    server.injectFault({ projectVersionArn: modelArn, failNextStart: true });
    await client.send(new StartProjectVersionCommand({ ProjectVersionArn: modelArn, MinInferenceUnits: 1 }));
    await waitForStatus(client, modelArn, 'FAILED');
    const { ProjectVersionDescriptions } = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn), VersionNames: ['test'] }),
    );
    expect(ProjectVersionDescriptions?.[0].StatusMessage).toMatch(/failed to start/);
    await startModel(client, modelArn);
    await stopModel(client, modelArn);
  });

  it('keeps a hanging start STARTING until it is stopped', async () => {
    server.injectFault({ hangNextStart: true });
    await client.send(new StartProjectVersionCommand({ ProjectVersionArn: modelArn, MinInferenceUnits: 1 }));
    await new Promise((resolve) => setTimeout(resolve, START_DELAY_MS * 3));
    expect(await statusOf(client, modelArn)).toBe('STARTING');
    await stopModel(client, modelArn);
  });
});

describe('statuses beyond the run lifecycle', () => {
  const stop = (arn: string) => client.send(new StopProjectVersionCommand({ ProjectVersionArn: arn }));
  const start = (arn: string) =>
    client.send(new StartProjectVersionCommand({ ProjectVersionArn: arn, MinInferenceUnits: 1 }));
  const detect = (arn: string) =>
    client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: arn,
        Image: { Bytes: sampleImage(sampleLabels()[0]) },
      }),
    );

  it('reports a version trained and never started as TRAINING_COMPLETED, as the service does, and starts it from there', async () => {
    const { ProjectVersionDescriptions } = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArnOf(modelArn), VersionNames: ['second'] }),
    );
    expect(ProjectVersionDescriptions?.[0]).toMatchObject({
      Status: 'TRAINING_COMPLETED',
      StatusMessage: expect.stringMatching(/never been started/),
    });
    expect(await errorNameOf(stop(secondVersionArn))).toBe('ResourceInUseException');
    expect(await errorNameOf(detect(secondVersionArn))).toBe('ResourceNotReadyException');
    await startModel(client, secondVersionArn);
    await stopModel(client, secondVersionArn);
  });

  it.each<ProjectVersionStatus>([
    'TRAINING_IN_PROGRESS',
    'TRAINING_FAILED',
    'DELETING',
    'COPYING_IN_PROGRESS',
    'COPYING_FAILED',
    'DEPRECATED',
    'EXPIRED',
  ])('puts a version in %s on request, and then neither starts, stops nor detects', async (status) => {
    server.injectFault({ projectVersionArn: secondVersionArn, status });
    expect(await statusOf(client, secondVersionArn)).toBe(status);
    expect(await errorNameOf(start(secondVersionArn))).toBe('ResourceInUseException');
    expect(await errorNameOf(stop(secondVersionArn))).toBe('ResourceInUseException');
    expect(await errorNameOf(detect(secondVersionArn))).toBe('ResourceNotReadyException');
  });

  it('completes a training or copy in progress when told how long it takes, and starts the version then', async () => {
    server.injectFault({
      projectVersionArn: secondVersionArn,
      status: 'COPYING_IN_PROGRESS',
      statusSettlesAfterMs: 100,
    });
    expect(await statusOf(client, secondVersionArn)).toBe('COPYING_IN_PROGRESS');
    await waitForStatus(client, secondVersionArn, 'COPYING_COMPLETED');
    await startModel(client, secondVersionArn);
    await stopModel(client, secondVersionArn);
  });

  it('explains a status request it cannot apply', async () => {
    for (const [fault, problem] of [
      [{ status: 'EXPIRED' }, 'projectVersionArn'],
      [{ projectVersionArn: secondVersionArn, status: 'RESTING' }, 'status must be one of'],
    ] as const) {
      const response = await fetch(`${server.url}/local/faults`, {
        method: 'POST',
        body: JSON.stringify(fault),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: expect.stringContaining(problem) });
    }
  });
});

describe('tags', () => {
  const tagsOf = async (arn: string) =>
    (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

  it('tags a model version as TagResource does: merged, listed, removed, kept across start and stop', async () => {
    expect(await tagsOf(modelArn)).toEqual({});
    await client.send(
      new TagResourceCommand({ ResourceArn: modelArn, Tags: { team: 'vision', 'a:b': 'x' } }),
    );
    await client.send(new TagResourceCommand({ ResourceArn: modelArn, Tags: { team: 'ml' } }));
    expect(await tagsOf(modelArn)).toEqual({ team: 'ml', 'a:b': 'x' });
    await startModel(client, modelArn);
    await stopModel(client, modelArn);
    expect(await tagsOf(modelArn)).toEqual({ team: 'ml', 'a:b': 'x' });
    // Removing a key the resource does not have is not an error.
    await client.send(new UntagResourceCommand({ ResourceArn: modelArn, TagKeys: ['a:b', 'absent'] }));
    expect(await tagsOf(modelArn)).toEqual({ team: 'ml' });
    await client.send(new UntagResourceCommand({ ResourceArn: modelArn, TagKeys: ['team'] }));
    expect(await tagsOf(modelArn)).toEqual({});
  });

  it('rejects unknown resources, reserved or malformed keys and values, and more than 50 tags', async () => {
    const unknown = modelArn.replace('/version/test/', '/version/missing/');
    expect(await errorNameOf(tagsOf(unknown))).toBe('ResourceNotFoundException');
    const malformed: Array<Record<string, string>> = [
      { 'aws:owner': 'me' },
      { '': 'empty key' },
      { ok: 'no ! here' },
      { ok: 'v'.repeat(257) },
    ];
    for (const Tags of malformed) {
      expect(await errorNameOf(client.send(new TagResourceCommand({ ResourceArn: modelArn, Tags })))).toBe(
        'InvalidParameterException',
      );
    }
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(
      await errorNameOf(client.send(new TagResourceCommand({ ResourceArn: modelArn, Tags: many }))),
    ).toBe('ServiceQuotaExceededException');
    expect(await tagsOf(modelArn)).toEqual({});
  });
});

describe('DetectCustomLabels', () => {
  beforeAll(() => startModel(client, modelArn));
  afterAll(() => stopModel(client, modelArn));

  it('labels every sample label correctly from S3 objects and from bytes', async () => {
    for (const label of sampleLabels()) {
      const image = sampleImage(label);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `in/${label} image.bin`, Body: image }));
      const fromS3 = await client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { S3Object: { Bucket: BUCKET, Name: `in/${label} image.bin` } },
          MinConfidence: 0,
        }),
      );
      expect(fromS3.CustomLabels?.[0].Name).toBe(label);
      const confidences = fromS3.CustomLabels?.map((l) => l.Confidence ?? -1) ?? [];
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      expect(confidences.every((c) => c >= 0 && c <= 100)).toBe(true);
      expect(fromS3.CustomLabels).toHaveLength(sampleLabels().length);

      const fromBytes = await client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { Bytes: image },
          MinConfidence: 0,
        }),
      );
      expect(fromBytes.CustomLabels).toEqual(fromS3.CustomLabels);
    }
  });

  it('applies MinConfidence, MaxResults and, without MinConfidence, the per-label thresholds', async () => {
    const image = sampleImage(sampleLabels()[0]);
    const all = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { Bytes: image },
        MinConfidence: 0,
      }),
    );
    const top = all.CustomLabels![0];
    const strict = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { Bytes: image },
        MinConfidence: top.Confidence! + 0.001,
      }),
    );
    expect(strict.CustomLabels).toEqual([]);
    const one = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { Bytes: image },
        MinConfidence: 0,
        MaxResults: 1,
      }),
    );
    expect(one.CustomLabels).toEqual([top]);

    const model = JSON.parse(
      readFileSync(join(modelsDir, 'sample-patterns', 'test', 'model.json'), 'utf8'),
    ) as {
      thresholds: Record<string, number>;
    };
    const assumed = await client.send(
      new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } }),
    );
    const expected = all.CustomLabels!.filter((label) => label.Confidence! >= model.thresholds[label.Name!]);
    expect(assumed.CustomLabels).toEqual(expected);
    expect(assumed.CustomLabels?.[0]?.Name).toBe(sampleLabels()[0]);
  });

  it.each([
    [
      'text named .jpg',
      () => Promise.resolve(Buffer.from('this is not an image')),
      'InvalidImageFormatException',
      /neither JPEG nor PNG/,
    ],
    [
      'a GIF',
      () =>
        sharp({ create: { width: 80, height: 80, channels: 3, background: 'red' } })
          .gif()
          .toBuffer(),
      'InvalidImageFormatException',
      /neither JPEG nor PNG/,
    ],
    [
      'a truncated JPEG',
      async () =>
        (
          await sharp(await solidPng(200, 200))
            .jpeg()
            .toBuffer()
        ).subarray(0, 300),
      'InvalidImageFormatException',
      /cannot be decoded/,
    ],
    ['a 50×50 PNG', () => solidPng(50, 50), 'InvalidParameterException', /50×50 px.*at least 64/],
    ['a 5000×100 PNG', () => solidPng(5000, 100), 'ImageTooLargeException', /5000×100 px.*at most 4096/],
  ])(
    'rejects %s with a specific error, from bytes and from S3',
    async (_name, makeImage, errorName, message) => {
      const image = await makeImage();
      const key = `bad/${errorName}-${image.length}.jpg`;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: image }));
      for (const Image of [{ Bytes: image }, { S3Object: { Bucket: BUCKET, Name: key } }]) {
        await expect(
          client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image })),
        ).rejects.toMatchObject({
          name: errorName,
          message: expect.stringMatching(message),
        });
      }
    },
  );

  it('rejects images over 4 MB as bytes and over 15 MB in S3', async () => {
    const big = Buffer.concat([await solidPng(100, 100), Buffer.alloc(4 * 1024 * 1024)]);
    await expect(
      client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: big } })),
    ).rejects.toMatchObject({ name: 'ImageTooLargeException', message: expect.stringContaining('4 MB') });
    const huge = Buffer.concat([await solidPng(100, 100), Buffer.alloc(15 * 1024 * 1024)]);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'huge.png', Body: huge }));
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { S3Object: { Bucket: BUCKET, Name: 'huge.png' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ImageTooLargeException', message: expect.stringContaining('15 MB') });
  });

  it('rejects a missing S3 object or bucket with InvalidS3ObjectException naming it', async () => {
    for (const [Bucket, Name] of [
      [BUCKET, 'no/such/key.png'],
      ['no-such-bucket', 'a.png'],
    ]) {
      await expect(
        client.send(
          new DetectCustomLabelsCommand({
            ProjectVersionArn: modelArn,
            Image: { S3Object: { Bucket, Name } },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidS3ObjectException',
        message: expect.stringContaining(`s3://${Bucket}/${Name}`),
      });
    }
  });

  it('reads the version S3Object.Version names, not the current one', async () => {
    const bucket = `${BUCKET}-versioned`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const [first, second] = sampleLabels();
    const { VersionId } = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'v.png', Body: sampleImage(first) }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'v.png', Body: sampleImage(second) }));
    const detect = (Version?: string) =>
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { S3Object: { Bucket: bucket, Name: 'v.png', Version } },
          MinConfidence: 0,
        }),
      );
    expect((await detect(VersionId)).CustomLabels?.[0].Name).toBe(first);
    expect((await detect()).CustomLabels?.[0].Name).toBe(second);
    await expect(detect('no-such-version')).rejects.toMatchObject({ name: 'InvalidS3ObjectException' });
  });

  it('denies reading the objects of an injected denial with InvalidS3ObjectException, as a bucket policy would', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'denied.png', Body: sampleImage(sampleLabels()[0]) }),
    );
    server.injectFault({ denyObjectReads: [`s3://${BUCKET}/denied.png`] });
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { S3Object: { Bucket: BUCKET, Name: 'denied.png' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidS3ObjectException',
      message: expect.stringContaining('AccessDenied'),
    });
    server.clearFaults();
    const allowed = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { S3Object: { Bucket: BUCKET, Name: 'denied.png' } },
        MinConfidence: 0,
      }),
    );
    expect(allowed.CustomLabels?.[0].Name).toBe(sampleLabels()[0]);
  });

  it('answers as an object-detection model with answerWithBoxes: a box and polygon per label', async () => {
    server.injectFault({ answerWithBoxes: true });
    const { CustomLabels = [] } = await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { Bytes: sampleImage(sampleLabels()[0]) },
        MinConfidence: 0,
      }),
    );
    expect(CustomLabels).toHaveLength(sampleLabels().length);
    const strip = 1 / CustomLabels.length;
    CustomLabels.forEach((label, index) => {
      expect(label.Geometry?.BoundingBox).toEqual({
        Width: 0.5,
        Height: strip,
        Left: 0.25,
        Top: index * strip,
      });
      expect(label.Geometry?.Polygon).toHaveLength(4);
    });
  });

  it('rejects malformed requests with InvalidParameterException', async () => {
    const image = await solidPng(64, 64);
    await expect(
      client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: modelArn,
          Image: { Bytes: image },
          MinConfidence: 101,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('MinConfidence'),
    });
    await expect(
      client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: {} })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('exactly one'),
    });
  });
});

describe('capacity and usage', () => {
  it('throttles above the inference units × TPS per unit and counts it', async () => {
    // A frozen clock: no capacity comes back during the burst, however slowly the machine sends it.
    await withInstantModelServer(
      { clock: () => 0, modelsDir, transactionsPerSecondPerInferenceUnit: 2 },
      async (tightClient, tight) => {
        const image = await solidPng(64, 64);
        const burst = async () => {
          const results = await Promise.allSettled(
            Array.from({ length: 8 }, () =>
              tightClient.send(
                new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } }),
              ),
            ),
          );
          return results.filter(
            (r) =>
              r.status === 'rejected' &&
              (r.reason as Error).name === 'ProvisionedThroughputExceededException',
          ).length;
        };
        await startModel(tightClient, modelArn);
        expect(await burst()).toBe(6);
        await stopModel(tightClient, modelArn);

        await startModel(tightClient, modelArn, { units: 3 });
        expect(await burst()).toBe(2);
        await stopModel(tightClient, modelArn);

        const usage = tight.usage().versions.find((v) => v.projectVersionArn === modelArn)!;
        expect(usage.intervals.map((i) => [i.inferenceUnits, i.inferences, i.throttled])).toEqual([
          [1, 2, 6],
          [3, 6, 2],
        ]);
      },
    );
  });

  it('rejects the injected share of calls during a throttling storm, then recovers', async () => {
    await startModel(client, modelArn);
    try {
      server.injectFault({ throttleFraction: 0.5, throttleForMs: 60_000 });
      const image = await solidPng(64, 64);
      const outcomes = [];
      for (let i = 0; i < 6; i += 1) {
        outcomes.push(
          await client
            .send(new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } }))
            .then(
              () => 'ok',
              (error: Error) => error.name,
            ),
        );
      }
      expect(outcomes.filter((o) => o === 'ProvisionedThroughputExceededException')).toHaveLength(3);
      server.clearFaults();
      await expect(
        client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } })),
      ).resolves.toBeDefined();
    } finally {
      await stopModel(client, modelArn);
    }
  });

  it('reports every RUNNING interval with busy and idle time over GET /local/usage', async () => {
    const before = Date.now();
    await startModel(client, modelArn);
    await client.send(
      new DetectCustomLabelsCommand({
        ProjectVersionArn: modelArn,
        Image: { Bytes: sampleImage(sampleLabels()[0]) },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopModel(client, modelArn);

    const response = await fetch(`${server.url}/local/usage`);
    const { versions } = (await response.json()) as Awaited<ReturnType<LocalRekognitionServer['usage']>>;
    const usage = versions.find((v) => v.projectVersionArn === modelArn)!;
    expect(usage.status).toBe('STOPPED');
    const interval = usage.intervals[usage.intervals.length - 1];
    expect(interval.startedAt).toBeGreaterThanOrEqual(before);
    expect(interval.stoppedAt).toBeGreaterThan(interval.startedAt);
    expect(interval.inferences).toBe(1);
    expect(interval.busyMs).toBeGreaterThan(0);
    expect(interval.idleMs).toBeGreaterThanOrEqual(200);
    expect(interval.runningMs).toBe(interval.busyMs + interval.idleMs);
    expect(usage.totals.starts).toBe(usage.intervals.length);
  });

  it('accepts faults over HTTP and explains a bad one', async () => {
    const ok = await fetch(`${server.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ hangNextStart: true }),
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${server.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttleFraction: 2 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      __type: 'InvalidParameterException',
      message: expect.stringContaining('throttleFraction'),
    });
    const badDenial = await fetch(`${server.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ denyObjectReads: ['bucket/key.png'] }),
    });
    expect(await badDenial.json()).toMatchObject({
      message: expect.stringContaining('s3://bucket/key URIs'),
    });
    expect((await fetch(`${server.url}/local/faults`, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('benchmark mode', () => {
  it('answers a fixed label per image without running the model, and says nothing else changes', async () => {
    await withInstantModelServer(
      { modelsDir, benchmarkInstantInference: true, transactionsPerSecondPerInferenceUnit: 1000 },
      async (instantClient) => {
        await startModel(instantClient, modelArn);
        const image = sampleImage(sampleLabels()[1]);
        const first = await instantClient.send(
          new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } }),
        );
        const again = await instantClient.send(
          new DetectCustomLabelsCommand({ ProjectVersionArn: modelArn, Image: { Bytes: image } }),
        );
        expect(first.CustomLabels).toEqual(again.CustomLabels);
        expect(sampleLabels()).toContain(first.CustomLabels?.[0].Name);
        await expect(
          instantClient.send(
            new DetectCustomLabelsCommand({
              ProjectVersionArn: modelArn,
              Image: { Bytes: Buffer.from('nope') },
            }),
          ),
        ).rejects.toMatchObject({ name: 'InvalidImageFormatException' });
      },
    );
  });
});

describe('wire protocol', () => {
  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'RekognitionService.DetectLabels',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'UnknownOperationException',
      message: expect.stringContaining('DetectLabels'),
    });
  });
});
