import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { createAwsClients } from '../../src/aws-clients';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import { sampleImage, sampleLabels } from '../support/rekognition';
import { testEnv } from '../support/test-env';

const SOURCE = 'activities-source';
const RESULTS = 'activities-results';
const VERSIONED = 'activities-versioned';
let server: LocalRekognitionServer;
let clients: ReturnType<typeof createAwsClients>;
let activities: ReturnType<typeof createActivities>;
let modelArn: string;

/** Runs an activity as Temporal would, with an activity context (cancellation signal, heartbeats). */
function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment().run(fn, ...args);
}

async function untilStatus(status: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await run(activities.describeModel, modelArn)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`model never reached ${status}`);
}

beforeAll(async () => {
  modelArn = testEnv('modelArn');
  server = await startLocalRekognitionServer({
    modelsDir: testEnv('modelsDir'),
    s3Endpoint: testEnv('motoEndpoint'),
    startDelayMs: 50,
    stopDelayMs: 50,
    transactionsPerSecondPerInferenceUnit: 1000,
  });
  clients = createAwsClients({
    awsRegion: 'us-east-1',
    awsEndpointUrl: testEnv('motoEndpoint'),
    rekognitionEndpointUrl: server.url,
  });
  activities = createActivities(clients);
  for (const bucket of [SOURCE, RESULTS, VERSIONED])
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }),
  );
});

async function put(bucket: string, key: string, body: string | Buffer) {
  const { VersionId, ETag } = await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
  );
  return { bucket, key, versionId: VersionId, eTag: ETag?.replace(/"/g, '') };
}

async function read(bucket: string, key: string): Promise<string | undefined> {
  const { Body } = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Body?.transformToString();
}

async function versionsOf(bucket: string, key: string): Promise<string[]> {
  const { Versions = [] } = await clients.s3.send(
    new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }),
  );
  return Versions.map((version) => version.VersionId ?? '');
}

afterAll(async () => {
  clients.destroy();
  await server.close();
});

describe('queue activities', () => {
  it('counts visible, in-flight and delayed messages', async () => {
    const { QueueUrl: queueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'activities-count' }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'b' }));
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'c', DelaySeconds: 60 }),
    );
    await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }),
    );
    expect(await run(activities.countQueuedMessages, queueUrl!)).toEqual({
      visible: 1,
      inFlight: 1,
      delayed: 1,
      total: 3,
    });
  });

  it('extends a held message’s visibility, and says when the message is no longer held', async () => {
    const { QueueUrl: queueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'activities-extend' }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'slow' }));
    const receive = () =>
      run(activities.receiveMessages, {
        queueUrl: queueUrl!,
        maxMessages: 10,
        visibilityTimeoutSeconds: 1,
        waitTimeSeconds: 0,
      });
    const [message] = await receive();
    const extend = () =>
      run(activities.extendVisibility, {
        queueUrl: queueUrl!,
        receiptHandle: message.receiptHandle,
        visibilityTimeoutSeconds: 30,
      });
    expect(await extend()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await receive()).toEqual([]);
    await run(activities.deleteMessage, queueUrl!, message.receiptHandle);
    expect(await extend()).toBe(false);
  });

  it('receives, deletes (twice without error) and dead-letters with the reason', async () => {
    const { QueueUrl: queueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'activities-receive' }),
    );
    const { QueueUrl: dlqUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'activities-receive-dlq' }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const [message] = await run(activities.receiveMessages, {
      queueUrl: queueUrl!,
      maxMessages: 10,
      visibilityTimeoutSeconds: 30,
      waitTimeSeconds: 0,
    });
    expect(message).toMatchObject({ body: 'hello' });
    await run(activities.deleteMessage, queueUrl!, message.receiptHandle);
    await run(activities.deleteMessage, queueUrl!, message.receiptHandle);
    expect((await run(activities.countQueuedMessages, queueUrl!)).total).toBe(0);

    await run(activities.sendToDeadLetterQueue, {
      deadLetterQueueUrl: dlqUrl!,
      body: 'not an event',
      reason: 'The message body is not JSON',
      originalMessageId: message.messageId,
    });
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'] }),
    );
    expect(Messages?.[0]).toMatchObject({
      Body: 'not an event',
      MessageAttributes: { RejectedReason: { StringValue: 'The message body is not JSON' } },
    });
  });
});

describe('model activities', () => {
  it('describes, starts (twice harmlessly), stops (twice harmlessly)', async () => {
    // Trained and never started, as AWS reports such a version.
    expect(await run(activities.describeModel, modelArn)).toMatchObject({ status: 'TRAINING_COMPLETED' });
    expect(await run(activities.startModel, { projectVersionArn: modelArn, minInferenceUnits: 1 })).toEqual({
      status: 'STARTING',
    });
    expect(
      (await run(activities.startModel, { projectVersionArn: modelArn, minInferenceUnits: 1 })).status,
    ).toMatch(/STARTING|RUNNING/);
    await untilStatus('RUNNING');
    expect(await run(activities.stopModel, modelArn)).toEqual({ status: 'STOPPING' });
    await untilStatus('STOPPED');
    expect(await run(activities.stopModel, modelArn)).toMatchObject({ status: 'STOPPED' });
  });

  it('marks the model as started by a batch, reads the mark back, and clears it', async () => {
    expect(await run(activities.modelStartedBy, modelArn)).toEqual({ batchId: undefined });
    await run(activities.markModelStartedBy, {
      projectVersionArn: modelArn,
      batchId: 'custom-labels-batch-x-2026-12-01T15:00:00Z',
    });
    expect(await run(activities.modelStartedBy, modelArn)).toEqual({
      batchId: 'custom-labels-batch-x-2026-12-01T15:00:00Z',
    });
    // A workflow id may hold characters a tag value may not: the mark keeps what fits.
    await run(activities.markModelStartedBy, {
      projectVersionArn: modelArn,
      batchId: `b#${'x'.repeat(300)}`,
    });
    expect((await run(activities.modelStartedBy, modelArn)).batchId).toBe('x'.repeat(256));
    await run(activities.clearModelStartedBy, modelArn);
    await run(activities.clearModelStartedBy, modelArn);
    expect(await run(activities.modelStartedBy, modelArn)).toEqual({ batchId: undefined });
  });

  it('fails non-retryably, naming the ARN, for a model that does not exist', async () => {
    const missing = modelArn.replace('/version/test/', '/version/nope/');
    const failure = await run(activities.describeModel, missing).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      nonRetryable: true,
      type: 'ModelNotFound',
      message: expect.stringContaining(missing),
    });
  });
});

describe('detect and storage activities', () => {
  beforeAll(async () => {
    await run(activities.startModel, { projectVersionArn: modelArn, minInferenceUnits: 1 });
    await untilStatus('RUNNING');
  });
  afterAll(async () => {
    await run(activities.stopModel, modelArn);
    await untilStatus('STOPPED');
  });

  const detect = (key: string, bucket = SOURCE, versionId?: string) =>
    run(activities.detectCustomLabels, { projectVersionArn: modelArn, bucket, key, versionId });

  it('labels an image, rejects a non-image, reports a missing one as unreadable', async () => {
    const label = sampleLabels()[0];
    await clients.s3.send(
      new PutObjectCommand({ Bucket: SOURCE, Key: 'in/a photo é.png', Body: sampleImage(label) }),
    );
    await clients.s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'in/notes.jpg', Body: 'plain text' }));
    const labelled = await detect('in/a photo é.png');
    expect(labelled).toMatchObject({
      outcome: 'labelled',
      labels: [expect.objectContaining({ Name: label })],
    });
    expect(await detect('in/notes.jpg')).toMatchObject({
      outcome: 'rejected',
      reason: 'InvalidImageFormatException',
    });
    expect(await detect('in/never-uploaded.png')).toMatchObject({ outcome: 'unreadable' });
  });

  it('labels the announced version, not the one uploaded over it since', async () => {
    const [first, second] = sampleLabels();
    const announced = await put(VERSIONED, 'overwritten.png', sampleImage(first));
    await put(VERSIONED, 'overwritten.png', sampleImage(second));
    expect(await detect('overwritten.png', VERSIONED, announced.versionId)).toMatchObject({
      outcome: 'labelled',
      labels: [expect.objectContaining({ Name: first })],
    });
  });

  it("keeps each label as the model returned it, an object-detection model's Geometry included", async () => {
    await put(SOURCE, 'boxes.png', sampleImage(sampleLabels()[0]));
    server.injectFault({ answerWithBoxes: true });
    try {
      const answer = await detect('boxes.png');
      expect(answer).toMatchObject({
        outcome: 'labelled',
        labels: [
          expect.objectContaining({
            Geometry: {
              BoundingBox: { Width: 0.5, Height: 1, Left: 0.25, Top: 0 },
              Polygon: [
                { X: 0.25, Y: 0 },
                { X: 0.75, Y: 0 },
                { X: 0.75, Y: 1 },
                { X: 0.25, Y: 1 },
              ],
            },
          }),
        ],
      });
    } finally {
      server.clearFaults();
    }
  });

  it('tells an image Rekognition may not read from one that is gone: only S3 knows', async () => {
    const denied = await put(VERSIONED, 'denied.png', sampleImage(sampleLabels()[0]));
    server.injectFault({ denyObjectReads: [`s3://${VERSIONED}/denied.png`] });
    try {
      expect(await detect('denied.png', VERSIONED, denied.versionId)).toMatchObject({
        outcome: 'unreadable',
      });
    } finally {
      server.clearFaults();
    }
    expect(await run(activities.sourceObjectExists, denied)).toBe(true);
    await run(activities.deleteObject, denied);
    expect(await run(activities.sourceObjectExists, denied)).toBe(false);
    expect(await run(activities.sourceObjectExists, { bucket: SOURCE, key: 'never-uploaded.png' })).toBe(
      false,
    );
    // Without versions, an object replaced since its event is gone too: the eTag says which one.
    const replaced = await put(SOURCE, 'replaced.png', 'first');
    await put(SOURCE, 'replaced.png', 'second');
    expect(await run(activities.sourceObjectExists, replaced)).toBe(false);
  });

  it('fails non-retryably, naming the object and the permissions, when S3 denies the worker a look', async () => {
    const deniedS3 = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    deniedS3.send = () =>
      Promise.reject(
        Object.assign(new Error('Forbidden'), { name: '403', $metadata: { httpStatusCode: 403 } }),
      );
    const { sourceObjectExists } = createActivities({ ...clients, s3: deniedS3 });
    const failure = await run(sourceObjectExists, { bucket: SOURCE, key: 'a.png', versionId: 'v1' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      nonRetryable: true,
      type: 'SourceObjectAccessDenied',
      message: expect.stringMatching(
        /s3:\/\/activities-source\/a\.png \(version v1\).*s3:GetObjectVersion.*s3:ListBucket/,
      ),
    });
  });

  it('rethrows throttling as retryable', async () => {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: SOURCE, Key: 'throttled.png', Body: sampleImage(sampleLabels()[0]) }),
    );
    server.injectFault({ throttleFraction: 1 });
    try {
      const failure = await detect('throttled.png').catch((error: unknown) => error);
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
      expect(String(failure)).toMatch(/ProvisionedThroughputExceededException/);
    } finally {
      server.clearFaults();
    }
  });

  it('copies keys with spaces and unicode, writes JSON, reports a missing copy source, deletes', async () => {
    const source = { bucket: SOURCE, key: 'copy me/ü 1+1.png' };
    await clients.s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: source.key, Body: 'bytes' }));
    expect(
      await run(activities.copyObject, source, { bucket: RESULTS, key: `processed/${source.key}` }),
    ).toBe(true);
    const copied = await clients.s3.send(
      new GetObjectCommand({ Bucket: RESULTS, Key: `processed/${source.key}` }),
    );
    expect(await copied.Body?.transformToString()).toBe('bytes');
    expect(
      await run(activities.copyObject, { bucket: SOURCE, key: 'nope.png' }, { bucket: RESULTS, key: 'x' }),
    ).toBe(false);

    await run(activities.putJson, { bucket: RESULTS, key: 'doc.json' }, { a: 1 });
    const doc = await clients.s3.send(new GetObjectCommand({ Bucket: RESULTS, Key: 'doc.json' }));
    expect(JSON.parse((await doc.Body?.transformToString()) ?? '')).toEqual({ a: 1 });

    await run(activities.deleteObject, source);
    await run(activities.deleteObject, source);
    await expect(
      clients.s3.send(new HeadObjectCommand({ Bucket: SOURCE, Key: source.key })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('copies and deletes exactly the announced version, leaving one uploaded over it', async () => {
    const announced = await put(VERSIONED, 'moved.png', 'announced');
    const newer = await put(VERSIONED, 'moved.png', 'newer');
    expect(await run(activities.copyObject, announced, { bucket: RESULTS, key: 'processed/moved.png' })).toBe(
      true,
    );
    expect(await read(RESULTS, 'processed/moved.png')).toBe('announced');
    await run(activities.deleteObject, announced);
    expect(await versionsOf(VERSIONED, 'moved.png')).toEqual([newer.versionId]);
    expect(await read(VERSIONED, 'moved.png')).toBe('newer');
    // Its version is gone for good: a repeated event copies nothing.
    expect(await run(activities.copyObject, announced, { bucket: RESULTS, key: 'x' })).toBe(false);
  });

  it('without versions, copies and deletes only while the key holds the announced eTag', async () => {
    const announced = await put(SOURCE, 'etag.png', 'announced');
    await put(SOURCE, 'etag.png', 'newer');
    expect(await run(activities.copyObject, announced, { bucket: RESULTS, key: 'etag-copy.png' })).toBe(
      false,
    );
    await run(activities.deleteObject, announced);
    expect(await read(SOURCE, 'etag.png')).toBe('newer');
  });
});
