import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { createAwsClients } from '../src/aws-clients';
import { registerProvisionCommand } from '../src/cli/provision-command';
import { UserError } from '../src/config/user-error';
import { PROVISION_PERMISSIONS, provisionResources, type ProvisionRequest } from '../src/provision';
import { testEnv } from './support/test-env';

const REGION = 'us-east-1';
let clients: ReturnType<typeof createAwsClients>;

beforeAll(() => {
  clients = createAwsClients({
    awsRegion: REGION,
    awsEndpointUrl: testEnv('motoEndpoint'),
    rekognitionEndpointUrl: undefined,
  });
});

afterAll(() => clients.destroy());

/** Names of its own for each test: the moto server is shared by every test file of the run. */
function request(tag: string, region = REGION): ProvisionRequest {
  const unique = `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    sourceBucket: `prov-${unique}-source`,
    resultsBucket: `prov-${unique}-results`,
    queueName: `prov-${unique}`,
    deadLetterQueueName: `prov-${unique}-dlq`,
    region,
    visibilityTimeoutSeconds: 600,
  };
}

async function queueAttributes(queueUrl: string): Promise<Record<string, string>> {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return Attributes ?? {};
}

async function receiveAll(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => message.Body ?? ''));
  }
}

interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; versionId?: string; sequencer?: string } };
}

function eventRecords(bodies: string[]): S3EventRecord[] {
  return bodies.flatMap((body) => (JSON.parse(body) as { Records?: S3EventRecord[] }).Records ?? []);
}

async function expectUserError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => new Error('provisioning succeeded'),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(message);
}

describe('provisionResources on moto', () => {
  it('creates everything once, then finds it all in place', async () => {
    const wanted = request('twice');
    const lines: string[] = [];
    const first = await provisionResources(clients, { ...wanted, log: (line) => lines.push(line) });
    const resources = [
      `bucket ${wanted.sourceBucket}`,
      `bucket ${wanted.resultsBucket}`,
      `versioning of bucket ${wanted.sourceBucket}`,
      `dead-letter queue ${wanted.deadLetterQueueName}`,
      `queue ${wanted.queueName}`,
      `policy of queue ${wanted.queueName}`,
      `notification bucket ${wanted.sourceBucket} → queue ${wanted.queueName}`,
    ];
    expect(first).toMatchObject({ created: resources, updated: [], existing: [] });
    expect(lines).toEqual(resources.map((resource) => `${resource}: created`));
    expect(first.queueUrl).toMatch(new RegExp(`/${wanted.queueName}$`));
    expect(first.deadLetterQueueUrl).toMatch(new RegExp(`/${wanted.deadLetterQueueName}$`));
    expect(first.queueArn).toBe(`arn:aws:sqs:${REGION}:123456789012:${wanted.queueName}`);

    const second = await provisionResources(clients, wanted);
    expect(second).toEqual({ ...first, created: [], updated: [], existing: resources });
  });

  it('sets the redrive policy, visibility timeout and retention of both queues', async () => {
    const result = await provisionResources(clients, {
      ...request('attributes'),
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 3,
    });
    const main = await queueAttributes(result.queueUrl);
    const deadLetter = await queueAttributes(result.deadLetterQueueUrl);
    expect(main).toMatchObject({ VisibilityTimeout: '120', MessageRetentionPeriod: String(4 * 86_400) });
    expect(JSON.parse(main.RedrivePolicy)).toEqual({
      deadLetterTargetArn: deadLetter.QueueArn,
      maxReceiveCount: 3,
    });
    expect(deadLetter.MessageRetentionPeriod).toBe(String(14 * 86_400));
  });

  it('brings an existing queue with other attributes in line', async () => {
    const wanted = request('converge');
    await clients.sqs.send(
      new CreateQueueCommand({ QueueName: wanted.queueName, Attributes: { VisibilityTimeout: '30' } }),
    );
    const result = await provisionResources(clients, wanted);
    expect(result.updated).toEqual([`queue ${wanted.queueName}`, `policy of queue ${wanted.queueName}`]);
    const main = await queueAttributes(result.queueUrl);
    expect(main.VisibilityTimeout).toBe('600');
    expect(JSON.parse(main.RedrivePolicy)).toMatchObject({ maxReceiveCount: 5 });
  });

  it('lets only S3, for the source bucket of this account, send to the queue', async () => {
    const wanted = request('policy');
    const result = await provisionResources(clients, wanted);
    const { Policy } = await queueAttributes(result.queueUrl);
    expect(JSON.parse(Policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SourceBucketEvents',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: result.queueArn,
          Condition: {
            ArnEquals: { 'aws:SourceArn': `arn:aws:s3:::${wanted.sourceBucket}` },
            StringEquals: { 'aws:SourceAccount': '123456789012' },
          },
        },
      ],
    });
  });

  it('queues an event for every object uploaded to the source bucket and none for the results bucket', async () => {
    const wanted = request('events');
    const { queueUrl } = await provisionResources(clients, wanted);
    const key = 'in/My Photo é.JPEG';
    await clients.s3.send(
      new PutObjectCommand({ Bucket: wanted.resultsBucket, Key: 'out/labels.json', Body: '{}' }),
    );
    const { VersionId } = await clients.s3.send(
      new PutObjectCommand({ Bucket: wanted.sourceBucket, Key: key, Body: 'not even an image' }),
    );

    const bodies = await receiveAll(queueUrl);
    // Setting the notification sent one s3:TestEvent, which has no Records.
    expect(bodies.map((body) => JSON.parse(body) as { Event?: string })).toContainEqual(
      expect.objectContaining({ Event: 's3:TestEvent' }),
    );
    const records = eventRecords(bodies);
    expect(records).toHaveLength(1);
    expect(records[0].eventName).toMatch(/^ObjectCreated:/);
    expect(records[0].s3.bucket.name).toBe(wanted.sourceBucket);
    // Form-URL-encoded: space as '+', the rest as %XX ('/' stays on AWS, moto encodes it too).
    expect(records[0].s3.object.key).toMatch(/^in(\/|%2F)My\+Photo\+%C3%A9\.JPEG$/);
    expect(decodeURIComponent(records[0].s3.object.key.replace(/\+/g, ' '))).toBe(key);
    // The source bucket is versioned: the event names the version it announces, and orders it.
    expect(VersionId).toBeTruthy();
    expect(records[0].s3.object).toMatchObject({ versionId: VersionId, sequencer: expect.any(String) });
  });

  it('turns versioning on in the source bucket, and back on where it was suspended', async () => {
    const wanted = request('versioning');
    await provisionResources(clients, wanted);
    await clients.s3.send(
      new PutBucketVersioningCommand({
        Bucket: wanted.sourceBucket,
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const again = await provisionResources(clients, wanted);
    expect(again.updated).toEqual([`versioning of bucket ${wanted.sourceBucket}`]);
    const { Status } = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: wanted.sourceBucket }));
    expect(Status).toBe('Enabled');
  });

  it('keeps the bucket’s other notifications, and its own entry once, across runs', async () => {
    const wanted = request('merge');
    await clients.s3.send(new CreateBucketCommand({ Bucket: wanted.sourceBucket }));
    const { QueueUrl: auditUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `${wanted.queueName}-audit` }),
    );
    const auditArn = (await queueAttributes(auditUrl!)).QueueArn;
    const audit = { Id: 'audit-deletions', QueueArn: auditArn, Events: ['s3:ObjectRemoved:*' as const] };
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: wanted.sourceBucket,
        NotificationConfiguration: { QueueConfigurations: [audit] },
      }),
    );

    const result = await provisionResources(clients, wanted);
    await provisionResources(clients, wanted);
    const { QueueConfigurations } = await clients.s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: wanted.sourceBucket }),
    );
    expect(QueueConfigurations).toEqual([
      expect.objectContaining(audit),
      expect.objectContaining({ QueueArn: result.queueArn, Events: ['s3:ObjectCreated:*'] }),
    ]);
  });

  it('refuses to add a notification that S3 would reject as overlapping an existing one', async () => {
    const wanted = request('overlap');
    await clients.s3.send(new CreateBucketCommand({ Bucket: wanted.sourceBucket }));
    const { QueueUrl: oldUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `${wanted.queueName}-old` }),
    );
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: wanted.sourceBucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'old-jpg-only',
              QueueArn: (await queueAttributes(oldUrl!)).QueueArn,
              Events: ['s3:ObjectCreated:Put'],
              Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
            },
          ],
        },
      }),
    );
    await expectUserError(
      provisionResources(clients, wanted),
      /already sends ObjectCreated events elsewhere \(notification old-jpg-only\).*remove it/,
    );
  });

  it('creates buckets outside us-east-1 with their location constraint', async () => {
    const regional = createAwsClients({
      awsRegion: 'eu-west-1',
      awsEndpointUrl: testEnv('motoEndpoint'),
      rekognitionEndpointUrl: undefined,
    });
    try {
      const result = await provisionResources(regional, request('regional', 'eu-west-1'));
      expect(result.created).toHaveLength(7);
      expect(result.queueArn).toMatch(/^arn:aws:sqs:eu-west-1:/);
    } finally {
      regional.destroy();
    }
  });

  it('refuses an existing bucket in another region', async () => {
    const wanted = request('elsewhere', 'eu-west-1');
    await clients.s3.send(new CreateBucketCommand({ Bucket: wanted.sourceBucket }));
    await expectUserError(
      provisionResources(clients, wanted),
      new RegExp(`bucket ${wanted.sourceBucket} is in us-east-1, not eu-west-1: .*set AWS_REGION=us-east-1`),
    );
  });

  it.each([
    [{ sourceBucket: 'My_Images' }, /the source bucket name must be an S3 bucket name .*got "My_Images"/],
    [{ resultsBucket: 'x' }, /the results bucket name must be an S3 bucket name/],
    [{ queueName: 'images.fifo' }, /the queue name must be 1–80 letters, digits, "-" or "_"/],
    [{ maxReceiveCount: 0 }, /the max receive count must be a whole number from 1 to 1000; got 0/],
  ])('rejects %j before calling AWS', async (change, message) => {
    await expectUserError(provisionResources(clients, { ...request('invalid'), ...change }), message);
  });
});

describe('provisionResources on AWS errors', () => {
  function awsError(name: string, status: number): Error {
    return Object.assign(new Error(`${name} from AWS`), { name, $metadata: { httpStatusCode: status } });
  }

  /** Clients that find no bucket, and whose every other call fails with this error. */
  function failingClients(name: string, status: number): { s3: S3Client; sqs: SQSClient } {
    const client = {
      send: (command: object) =>
        Promise.reject(
          command instanceof HeadBucketCommand ? awsError('NotFound', 404) : awsError(name, status),
        ),
    };
    return { s3: client as unknown as S3Client, sqs: client as unknown as SQSClient };
  }

  it.each([
    [
      'AccessDenied',
      403,
      /^CreateBucket on bucket \S+ was denied: the credentials need s3:CreateBucket on it/,
    ],
    ['BucketAlreadyExists', 409, /^bucket \S+ belongs to another AWS account .*choose another bucket name/],
    [
      'InvalidAccessKeyId',
      403,
      /^CreateBucket on bucket \S+ failed: the AWS credentials are missing, invalid or expired/,
    ],
    [
      'MalformedXML',
      400,
      /^CreateBucket on bucket \S+ failed \(MalformedXML: MalformedXML from AWS\); fix the cause/,
    ],
  ])('explains %s in one sentence', async (name, status, message) => {
    await expectUserError(provisionResources(failingClients(name, status), request('errors')), message);
  });
});

describe('custom-labels-batch provision', () => {
  it('reads its settings from flags over the environment and prints the env lines with the returned URLs', async () => {
    const wanted = request('cli');
    const program = new Command().exitOverride();
    registerProvisionCommand(program);
    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const logged = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const previousEndpoint = process.env.AWS_ENDPOINT_URL;
    // The flag must win; PROJECT_VERSION_ARN is unset and provision must not need it.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    try {
      await program.parseAsync(
        [
          ...['provision', '--source-bucket', wanted.sourceBucket, '--results-bucket', wanted.resultsBucket],
          ...['--queue-url', `https://sqs.us-east-1.amazonaws.com/123456789012/${wanted.queueName}`],
          ...[
            '--aws-endpoint-url',
            testEnv('motoEndpoint'),
            '--aws-region',
            REGION,
            '--max-receive-count',
            '7',
          ],
        ],
        { from: 'user' },
      );
      const output = printed.mock.calls.map((call) => String(call[0])).join('\n');
      expect(output.split('\n')).toEqual([
        `QUEUE_URL=${testEnv('motoEndpoint')}/123456789012/${wanted.queueName}`,
        `DEAD_LETTER_QUEUE_URL=${testEnv('motoEndpoint')}/123456789012/${wanted.queueName}-dlq`,
        `SOURCE_BUCKET=${wanted.sourceBucket}`,
        `RESULTS_BUCKET=${wanted.resultsBucket}`,
      ]);
      // Off a terminal (as here), the status lines are JSON log lines on stderr.
      // Node's own warnings (e.g. the AWS SDK's Node version notice) share stderr.
      const statusLines = logged.mock.calls
        .map((call) => String(call[0]))
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as { level: string; msg: string });
      expect(statusLines).toContainEqual(
        expect.objectContaining({ level: 'info', msg: `bucket ${wanted.sourceBucket}: created` }),
      );
      expect(statusLines).toContainEqual(
        expect.objectContaining({
          msg: expect.stringMatching(/^done: 7 created, 0 updated, 0 already in place/),
        }),
      );
      const main = await queueAttributes(`${testEnv('motoEndpoint')}/123456789012/${wanted.queueName}`);
      expect(main.VisibilityTimeout).toBe('600');
      expect(JSON.parse(main.RedrivePolicy)).toMatchObject({ maxReceiveCount: 7 });
    } finally {
      if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previousEndpoint;
      printed.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('iam/provision-policy.json', () => {
  it('grants exactly the permissions provision uses', () => {
    const policy = JSON.parse(readFileSync(join(__dirname, '../iam/provision-policy.json'), 'utf8')) as {
      Statement: Array<{ Action: string | string[] }>;
    };
    const granted = policy.Statement.flatMap((statement) => statement.Action);
    expect(new Set(granted)).toEqual(new Set(Object.values(PROVISION_PERMISSIONS)));
  });
});
