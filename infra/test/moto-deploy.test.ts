import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ensurePythonTools } from '../../src/local/stack/python-tools';
import { startMoto, type MotoServer } from '../../src/local/stack/moto';
import workerPolicyJson from '../../iam/worker-policy.json';
import { synthesize, WORKER_CONTEXT } from './synth';

/**
 * The synthesized template deployed by moto's CloudFormation (the project's patched moto, as
 * `npm start` runs it). moto creates the buckets, queues, worker role and policy, SNS topic and the
 * whole Fargate worker's VPC, cluster, task and service (nothing runs), and passes over the types
 * below and some bucket properties (README, "What moto deploys").
 */
const TYPES_MOTO_SKIPS = [
  'AWS::CloudWatch::Alarm',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
];
const MODEL_ARN = 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/shapes.v1/1700000000000';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let clients: { cfn: CloudFormationClient; iam: IAMClient; s3: S3Client; sqs: SQSClient };

beforeAll(async () => {
  ensurePythonTools();
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials };
  clients = {
    cfn: new CloudFormationClient(config),
    iam: new IAMClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
  };
});

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.destroy();
  await moto?.stop();
});

async function deploy(stackName: string, context: Record<string, string>) {
  const template = synthesize({ ...context, name: stackName }).toJSON() as {
    Resources: Record<string, { Type: string }>;
  };
  await clients.cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(template),
      Parameters: [{ ParameterKey: 'ProjectVersionArn', ParameterValue: MODEL_ARN }],
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  const [stack] = (await clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
  const { StackResources: deployed = [] } = await clients.cfn.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  // Keyed by the setting each output is (its description), or by its key.
  const outputs: Record<string, string> = Object.fromEntries(
    (stack.Outputs ?? []).map((o) => [o.Description ?? o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  return { stack, template, deployed, outputs };
}

describe('the template in moto', () => {
  it('deploys, with every resource type but four that moto passes over', async () => {
    const { stack, template, deployed } = await deploy('plain', {});
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
    const created = new Set(
      deployed.flatMap((resource) => (resource.ResourceType ? [resource.ResourceType] : [])),
    );
    expect([...types].filter((type) => !created.has(type)).sort()).toEqual(TYPES_MOTO_SKIPS);
  });

  it('creates the queues with their redrive policy, retention, visibility and encryption', async () => {
    const { outputs } = await deploy('queues', { messageVisibilityTimeout: '2m' });
    const attributes = async (url: string) =>
      (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })))
        .Attributes ?? {};
    const deadLetter = await attributes(outputs.DEAD_LETTER_QUEUE_URL);
    const queue = await attributes(outputs.QUEUE_URL);
    expect(queue).toMatchObject({
      VisibilityTimeout: '120',
      MessageRetentionPeriod: '345600',
      SqsManagedSseEnabled: 'true',
    });
    expect(JSON.parse(queue.RedrivePolicy ?? '')).toEqual({
      deadLetterTargetArn: deadLetter.QueueArn,
      maxReceiveCount: 5,
    });
    expect(deadLetter).toMatchObject({ MessageRetentionPeriod: '1209600', SqsManagedSseEnabled: 'true' });
  });

  it('creates the encrypted buckets', async () => {
    const { outputs } = await deploy('buckets', {});
    for (const bucket of [outputs.SOURCE_BUCKET, outputs.RESULTS_BUCKET]) {
      const { ServerSideEncryptionConfiguration } = await clients.s3.send(
        new GetBucketEncryptionCommand({ Bucket: bucket }),
      );
      expect(
        ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      ).toBe('AES256');
    }
  });

  it('renders the worker policy as iam/worker-policy.json filled in with the deployed names', async () => {
    const { outputs } = await deploy('policy', {});
    const arn = outputs.WorkerPolicyArn;
    const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const { PolicyVersion } = await clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId }),
    );
    const queueName = (url: string) => url.split('/').pop() ?? '';
    const filled = JSON.stringify(workerPolicyJson)
      .replace(/\bREGION\b/g, 'us-east-1')
      .replace(/\bACCOUNT\b/g, '123456789012')
      .replace(/\bPROJECT\b/g, 'shapes')
      .replace(/\bVERSION\b/g, 'shapes.v1')
      .replace(/\bDEAD_LETTER_QUEUE\b/g, queueName(outputs.DEAD_LETTER_QUEUE_URL))
      .replace(/\bQUEUE\b/g, queueName(outputs.QUEUE_URL))
      .replace(/\bSOURCE_BUCKET\b/g, outputs.SOURCE_BUCKET)
      .replace(/\bRESULTS_BUCKET\b/g, outputs.RESULTS_BUCKET);
    expect(JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''))).toEqual(JSON.parse(filled));
  });

  it('deploys the Fargate worker’s network, cluster, task and service', async () => {
    const { stack, deployed } = await deploy('worker', WORKER_CONTEXT);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const created = deployed.map((resource) => resource.ResourceType);
    expect(created).toEqual(
      expect.arrayContaining([
        'AWS::EC2::VPC',
        'AWS::ECS::Cluster',
        'AWS::ECS::TaskDefinition',
        'AWS::ECS::Service',
      ]),
    );
  });
});
