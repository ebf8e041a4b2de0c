import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, resource, synthesize } from './synth';

const template = synthesize();
const sourceId = logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration !== undefined);
const resultsId = logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration === undefined);
const queueId = logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
const deadLetterId = logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined);
const queuePolicyId = logicalId(template, 'AWS::SQS::QueuePolicy', (p) =>
  JSON.stringify(p.Queues).includes(queueId),
);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const stackBucketName = (role: string) => ({
  'Fn::Join': ['', [`custom-labels-batch-${role}-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
});
const DAY = 86_400;

describe('buckets', () => {
  it.each([
    ['source', () => sourceId],
    ['results', () => resultsId],
  ])('the %s bucket blocks public access, is encrypted, and survives the stack', (role, id) => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: stackBucketName(role),
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(
      Object.keys(
        template.findResources('AWS::S3::Bucket', { Properties: { BucketName: stackBucketName(role) } }),
      ),
    ).toEqual([id()]);
  });

  it.each([
    ['source', () => sourceId],
    ['results', () => resultsId],
  ])('the %s bucket refuses every request without TLS', (_role, id) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [arnOf(id()), { 'Fn::Join': ['', [arnOf(id()), '/*']] }],
          },
        ]),
      },
    });
  });

  it('versions the source bucket only', () => {
    expect(resource(template, sourceId).Properties.VersioningConfiguration).toEqual({
      Status: 'Enabled',
    });
    expect(resource(template, resultsId).Properties.VersioningConfiguration).toBeUndefined();
  });

  it('sends every ObjectCreated event of the source bucket to the queue, once its policy allows it', () => {
    const source = resource(template, sourceId);
    expect(source.Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: arnOf(queueId) }],
    });
    expect(source.DependsOn).toContain(queuePolicyId);
    expect(resource(template, resultsId).Properties.NotificationConfiguration).toBeUndefined();
  });

  it('needs no Lambda function or custom resource to set anything', () => {
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(types.filter((type) => type.startsWith('Custom::') || type.startsWith('AWS::Lambda::'))).toEqual(
      [],
    );
  });
});

describe('queues', () => {
  it('redrives a message to the dead-letter queue after 5 deliveries; 10-minute visibility, 4-day retention', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'custom-labels-batch-images',
      VisibilityTimeout: 600,
      MessageRetentionPeriod: 4 * DAY,
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: 5 },
    });
  });

  it('keeps dead letters 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'custom-labels-batch-images-dlq',
      MessageRetentionPeriod: 14 * DAY,
    });
  });

  it.each([
    ['queue', () => queueId],
    ['dead-letter queue', () => deadLetterId],
  ])('the %s is encrypted and refuses requests without TLS', (_what, id) => {
    expect(resource(template, id()).Properties.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets only S3, for the source bucket in this account, send to the queue', () => {
    const { Statement: statements } = resource(template, queuePolicyId).Properties.PolicyDocument as {
      Statement: { Effect: string }[];
    };
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      {
        Sid: 'SourceBucketEvents',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arnOf(queueId),
        Condition: {
          ArnEquals: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':s3:::custom-labels-batch-source-',
                  { Ref: 'AWS::AccountId' },
                  '-',
                  { Ref: 'AWS::Region' },
                ],
              ],
            },
          },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      },
    ]);
  });

  it('takes the visibility timeout, max receive count and name from the context', () => {
    const custom = synthesize({ name: 'shapes', messageVisibilityTimeout: '2m', maxReceiveCount: '3' });
    custom.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'shapes-images',
      VisibilityTimeout: 120,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['shapes-source-'])] }),
    });
  });
});

describe('worker role', () => {
  it('is for ECS tasks and has the worker policy (and nothing else)', () => {
    const policyId = logicalId(template, 'AWS::IAM::ManagedPolicy');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      ManagedPolicyArns: [{ Ref: policyId }],
    });
    expect(resource(template, logicalId(template, 'AWS::IAM::Role')).Properties.Policies).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});
