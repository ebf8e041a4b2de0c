import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import workerPolicyJson from '../../iam/worker-policy.json';
import { logicalId, resource, synthesize } from './synth';

/**
 * The IAM actions each AWS call of the activities needs. DetectCustomLabels reads the image from S3 with
 * the caller's permissions; a copy reads the source and writes the target. Calls on the source name the
 * announced object version, which S3 authorizes as the *Version actions.
 */
const ACTIONS_OF_CALL: Record<string, string[]> = {
  DescribeProjects: ['rekognition:DescribeProjects'],
  DescribeProjectVersions: ['rekognition:DescribeProjectVersions'],
  StartProjectVersion: ['rekognition:StartProjectVersion'],
  StopProjectVersion: ['rekognition:StopProjectVersion'],
  TagResource: ['rekognition:TagResource'],
  UntagResource: ['rekognition:UntagResource'],
  ListTagsForResource: ['rekognition:ListTagsForResource'],
  DetectCustomLabels: ['rekognition:DetectCustomLabels', 's3:GetObject', 's3:GetObjectVersion'],
  HeadObject: ['s3:GetObject', 's3:GetObjectVersion'],
  GetQueueAttributes: ['sqs:GetQueueAttributes'],
  ReceiveMessage: ['sqs:ReceiveMessage'],
  DeleteMessage: ['sqs:DeleteMessage'],
  // SQS has no action of its own for its batch calls: sqs:DeleteMessage allows DeleteMessageBatch
  // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
  DeleteMessageBatch: ['sqs:DeleteMessage'],
  ChangeMessageVisibility: ['sqs:ChangeMessageVisibility'],
  SendMessage: ['sqs:SendMessage'],
  PutObject: ['s3:PutObject'],
  CopyObject: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
  DeleteObject: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
};
/** Granted without a call of its own: it makes S3 answer "no such key" rather than "access denied" (iam/README.md). */
const ACTIONS_WITHOUT_CALL = ['s3:ListBucket'];

const ACTIVITIES_DIR = join(__dirname, '../../src/activities');

function callsOfActivities(): Set<string> {
  const calls = new Set<string>();
  for (const file of readdirSync(ACTIVITIES_DIR).filter((name) => name.endsWith('.ts'))) {
    for (const [, call] of readFileSync(join(ACTIVITIES_DIR, file), 'utf8').matchAll(/new (\w+)Command\(/g)) {
      calls.add(call);
    }
  }
  return calls;
}

const template = synthesize();
const ids = {
  source: logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration !== undefined),
  results: logicalId(template, 'AWS::S3::Bucket', (p) => p.VersioningConfiguration === undefined),
  queue: logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined),
  deadLetter: logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined),
};
const modelArnPart = (index: number) =>
  JSON.stringify({ 'Fn::Select': [index, { 'Fn::Split': ['/', { Ref: 'ProjectVersionArn' }] }] });
/** What each CloudFormation expression in the deployed policy stands for, in the file's placeholders. */
const PLACEHOLDER_OF = new Map<string, string>([
  [JSON.stringify({ Ref: 'AWS::Partition' }), 'aws'],
  [JSON.stringify({ Ref: 'AWS::Region' }), 'REGION'],
  [JSON.stringify({ Ref: 'AWS::AccountId' }), 'ACCOUNT'],
  [modelArnPart(1), 'PROJECT'],
  [modelArnPart(3), 'VERSION'],
  [JSON.stringify({ 'Fn::GetAtt': [ids.queue, 'QueueName'] }), 'QUEUE'],
  [JSON.stringify({ 'Fn::GetAtt': [ids.deadLetter, 'QueueName'] }), 'DEAD_LETTER_QUEUE'],
  [JSON.stringify({ Ref: ids.source }), 'SOURCE_BUCKET'],
  [JSON.stringify({ Ref: ids.results }), 'RESULTS_BUCKET'],
]);

/** A resource of the deployed policy written back with the file's placeholders. */
function asPlaceholders(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(asPlaceholders);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(asPlaceholders).join(join[0]);
  const placeholder = PLACEHOLDER_OF.get(JSON.stringify(value));
  if (placeholder === undefined)
    throw new Error(`unexpected expression in the policy: ${JSON.stringify(value)}`);
  return placeholder;
}

describe('iam/worker-policy.json', () => {
  it('grants exactly the actions the activities call, and s3:ListBucket', () => {
    expect(callsOfActivities()).toEqual(new Set(Object.keys(ACTIONS_OF_CALL)));
    const granted = workerPolicyJson.Statement.flatMap((statement) => statement.Action);
    expect(new Set(granted)).toEqual(
      new Set([...Object.values(ACTIONS_OF_CALL).flat(), ...ACTIONS_WITHOUT_CALL]),
    );
  });

  it('is, placeholders filled in, the policy of the stack’s worker role', () => {
    const policy = resource(template, logicalId(template, 'AWS::IAM::ManagedPolicy')).Properties
      .PolicyDocument as typeof workerPolicyJson;
    expect({
      ...policy,
      Statement: policy.Statement.map((statement) => ({
        ...statement,
        Resource: asPlaceholders(statement.Resource),
      })),
    }).toEqual(workerPolicyJson);
  });
});
