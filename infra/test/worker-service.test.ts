import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, resource, synthesize, WORKER_CONTEXT } from './synth';

const SECRET = WORKER_CONTEXT.temporalSecretArn;
const fromSecret = (variable: string, key: string) => ({ Name: variable, ValueFrom: `${SECRET}:${key}::` });

describe('the worker on ECS Fargate', () => {
  it('is not there unless asked for', () => {
    const template = synthesize();
    for (const type of ['AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::EC2::VPC']) {
      template.resourceCountIs(type, 0);
    }
  });

  const template = synthesize(WORKER_CONTEXT);
  const roleId = logicalId(template, 'AWS::IAM::Role', (p) =>
    JSON.stringify(p.ManagedPolicyArns ?? '').includes('WorkerPolicy'),
  );

  it('runs one worker task as the worker role, with the pipeline settings in its environment', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      TaskRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    const [container] = resource(template, logicalId(template, 'AWS::ECS::TaskDefinition')).Properties
      .ContainerDefinitions as {
      Environment: { Name: string; Value: unknown }[];
      StopTimeout: number;
      HealthCheck: unknown;
    }[];
    expect(Object.fromEntries(container.Environment.map(({ Name, Value }) => [Name, Value]))).toEqual({
      SOURCE_BUCKET: {
        Ref: logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration !== undefined),
      },
      RESULTS_BUCKET: {
        Ref: logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration === undefined),
      },
      QUEUE_URL: { Ref: logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined) },
      DEAD_LETTER_QUEUE_URL: {
        Ref: logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined),
      },
      PROJECT_VERSION_ARN: { Ref: 'ProjectVersionArn' },
      MESSAGE_VISIBILITY_TIMEOUT: '600s',
      AWS_REGION: { Ref: 'AWS::Region' },
      TEMPORAL_TLS: 'true',
    });
    // Fargate's maximum: in-flight activities get two minutes after SIGTERM.
    expect(container.StopTimeout).toBe(120);
    expect(container.HealthCheck).toEqual({
      Command: ['CMD', 'node', 'lib/health-check.js'],
      Interval: 30,
      Timeout: 5,
      StartPeriod: 60,
      Retries: 3,
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
    });
  });

  it('runs the given image, pulled from its ECR repository', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Image: {
            'Fn::Join': [
              '',
              ['123456789012.dkr.ecr.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/custom-labels-batch:1.2.3'],
            ],
          },
        }),
      ],
    });
  });

  it('reads the Temporal address, namespace and API key from the secret', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Secrets: [
            fromSecret('TEMPORAL_ADDRESS', 'address'),
            fromSecret('TEMPORAL_NAMESPACE', 'namespace'),
            fromSecret('TEMPORAL_API_KEY', 'apiKey'),
          ],
        }),
      ],
    });
  });

  it('reads a client certificate and key instead with temporalAuth=mtls', () => {
    synthesize({ ...WORKER_CONTEXT, temporalAuth: 'mtls' }).hasResourceProperties(
      'AWS::ECS::TaskDefinition',
      {
        ContainerDefinitions: [
          Match.objectLike({
            Secrets: [
              fromSecret('TEMPORAL_ADDRESS', 'address'),
              fromSecret('TEMPORAL_NAMESPACE', 'namespace'),
              fromSecret('TEMPORAL_TLS_CLIENT_CERT_DATA', 'tlsClientCert'),
              fromSecret('TEMPORAL_TLS_CLIENT_KEY_DATA', 'tlsClientKey'),
            ],
          }),
        ],
      },
    );
  });

  it('lets only the task execution role read the secret and pull the image', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['ecr:BatchGetImage']),
            Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/custom-labels-batch',
          }),
          Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']), Resource: SECRET }),
        ]),
      },
    });
  });

  it('admits no inbound traffic and has no NAT gateway', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
    expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroup'))).not.toContain(
      'SecurityGroupIngress',
    );
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  it.each([
    [{ workerImage: '' }, /workerImage/],
    [{ temporalSecretArn: 'temporal' }, /temporalSecretArn/],
    [{ temporalAuth: 'password' }, /temporalAuth must be api-key or mtls/],
  ])('refuses to synthesize with %j', (change, message) => {
    expect(() => synthesize({ ...WORKER_CONTEXT, ...change })).toThrow(message);
  });
});

describe('context checks', () => {
  it.each([
    [{ name: 'Custom_Labels' }, /context name must be/],
    [{ maxReceiveCount: '0' }, /maxReceiveCount must be a whole number from 1/],
    [{ messageVisibilityTimeout: 'ten minutes' }, /messageVisibilityTimeout must be a duration/],
  ])('refuses %j', (context, message) => {
    expect(() => synthesize(context)).toThrow(message);
  });
});
