import { Duration } from 'aws-cdk-lib';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import {
  Cluster,
  ContainerImage,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  Secret as EcsSecret,
} from 'aws-cdk-lib/aws-ecs';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { WorkerSettings } from './settings';

/**
 * The secret's JSON keys, as `temporal` and @temporalio/envconfig name the variables they fill. ECS
 * refuses to start a task whose secret lacks a key it references, so only the chosen auth's are.
 */
const TEMPORAL_SECRET_KEYS = {
  common: { TEMPORAL_ADDRESS: 'address', TEMPORAL_NAMESPACE: 'namespace' },
  'api-key': { TEMPORAL_API_KEY: 'apiKey' },
  mtls: { TEMPORAL_TLS_CLIENT_CERT_DATA: 'tlsClientCert', TEMPORAL_TLS_CLIENT_KEY_DATA: 'tlsClientKey' },
} as const;

/**
 * One worker on ECS Fargate in a VPC of its own with public subnets and no NAT gateway (no hourly
 * cost): the task gets a public IP to reach Temporal and AWS, and its security group admits nothing.
 */
export class WorkerService extends Construct {
  readonly service: FargateService;

  constructor(
    scope: Construct,
    id: string,
    props: { settings: WorkerSettings; taskRole: IRole; environment: Record<string, string> },
  ) {
    super(scope, id);
    const { settings } = props;
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC }],
    });
    const cluster = new Cluster(this, 'Cluster', { vpc });
    const taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole: props.taskRole,
    });
    const temporal = Secret.fromSecretCompleteArn(this, 'TemporalSecret', settings.temporalSecretArn);
    const secretKeys = { ...TEMPORAL_SECRET_KEYS.common, ...TEMPORAL_SECRET_KEYS[settings.temporalAuth] };
    taskDefinition.addContainer('worker', {
      image: workerImage(this, settings.image),
      environment: { ...props.environment, TEMPORAL_TLS: 'true' },
      secrets: Object.fromEntries(
        Object.entries(secretKeys).map(([variable, key]) => [
          variable,
          EcsSecret.fromSecretsManager(temporal, key),
        ]),
      ),
      logging: LogDrivers.awsLogs({
        streamPrefix: 'worker',
        logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }),
      }),
      // Fargate's maximum: SIGTERM, then this long for in-flight activities to finish before SIGKILL.
      stopTimeout: Duration.minutes(2),
      // Fargate ignores the image's HEALTHCHECK: the same check, on the file the worker keeps fresh.
      healthCheck: {
        command: ['CMD', 'node', 'lib/health-check.js'],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(60),
        retries: 3,
      },
    });
    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: 1,
      // A deployment starts the new worker before stopping the old: batches never wait for none.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      assignPublicIp: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroups: [new SecurityGroup(this, 'NoInbound', { vpc, allowAllOutbound: true })],
      circuitBreaker: { rollback: true },
    });
  }
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?$/;

/** An ECR image through its repository, so that the task's execution role may pull it. */
function workerImage(scope: Construct, image: string): ContainerImage {
  const ecr = ECR_IMAGE.exec(image);
  if (!ecr) return ContainerImage.fromRegistry(image);
  const [, account, region, name, tag = 'latest'] = ecr;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const repository = Repository.fromRepositoryArn(
    scope,
    'Repository',
    `arn:${partition}:ecr:${region}:${account}:repository/${name}`,
  );
  return ContainerImage.fromEcrRepository(repository, tag);
}
