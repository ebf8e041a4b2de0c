import { Aws } from 'aws-cdk-lib';
import { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import workerPolicyJson from '../../iam/worker-policy.json';

/** The placeholders iam/worker-policy.json names its resources with (iam/README.md explains each). */
export type WorkerPolicyPlaceholder =
  'PROJECT' | 'VERSION' | 'QUEUE' | 'DEAD_LETTER_QUEUE' | 'SOURCE_BUCKET' | 'RESULTS_BUCKET';

// One pass with whole-word matches: DEAD_LETTER_QUEUE is not also read as QUEUE, and a value put in
// (a CDK token's text) is never scanned again.
const PLACEHOLDER =
  /\b(REGION|ACCOUNT|PROJECT|VERSION|DEAD_LETTER_QUEUE|QUEUE|SOURCE_BUCKET|RESULTS_BUCKET)\b/g;

/**
 * iam/worker-policy.json with its placeholders filled in: the file is the one definition of what the
 * worker may do, for the CDK stack as for a hand-made role.
 */
export function workerPolicyDocument(values: Record<WorkerPolicyPlaceholder, string>): PolicyDocument {
  const all: Record<string, string> = { ...values, REGION: Aws.REGION, ACCOUNT: Aws.ACCOUNT_ID };
  const fill = (resource: string): string =>
    resource.replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`).replace(PLACEHOLDER, (name) => all[name]);
  return PolicyDocument.fromJson({
    ...workerPolicyJson,
    Statement: workerPolicyJson.Statement.map((statement) => ({
      ...statement,
      Resource: Array.isArray(statement.Resource) ? statement.Resource.map(fill) : fill(statement.Resource),
    })),
  });
}
