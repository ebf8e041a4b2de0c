import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ignoreError } from '../activities/aws-errors';
import { provisionStep } from './aws-step';
import type { Outcome } from './report';

export type QueueAttributes = Partial<Record<QueueAttributeName, string>>;

export interface Queue {
  name: string;
  /** As the service returned it (moto puts its own host in queue URLs). */
  url: string;
  arn: string;
}

/** Creates the queue with `attributes`, or sets those that differ on the queue already there. */
export async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: QueueAttributes,
): Promise<{ queue: Queue; outcome: Outcome }> {
  const foundUrl = await findQueueUrl(sqs, name);
  const url = foundUrl ?? (await createQueue(sqs, name, attributes));
  const { QueueArn: arn = '' } = await readAttributes(sqs, { name, url }, ['QueueArn']);
  const queue = { name, url, arn };
  if (foundUrl === undefined) return { queue, outcome: 'created' };
  return { queue, outcome: await convergeQueueAttributes(sqs, queue, attributes) };
}

async function findQueueUrl(sqs: SQSClient, name: string): Promise<string | undefined> {
  return provisionStep('GetQueueUrl', `queue ${name}`, () =>
    sqs
      .send(new GetQueueUrlCommand({ QueueName: name }))
      .then(({ QueueUrl }) => QueueUrl, ignoreError('QueueDoesNotExist')),
  );
}

async function createQueue(sqs: SQSClient, name: string, attributes: QueueAttributes): Promise<string> {
  const { QueueUrl: url = '' } = await provisionStep('CreateQueue', `queue ${name}`, () =>
    sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })),
  );
  return url;
}

/** Sets the attributes whose current value differs, so that re-running provision converges. */
export async function convergeQueueAttributes(
  sqs: SQSClient,
  queue: Pick<Queue, 'name' | 'url'>,
  wanted: QueueAttributes,
): Promise<'updated' | 'existing'> {
  const current = await readAttributes(sqs, queue, Object.keys(wanted) as QueueAttributeName[]);
  const changes = Object.fromEntries(
    Object.entries(wanted).filter(([name, value]) => !sameAttributeValue(current[name], value)),
  );
  if (Object.keys(changes).length === 0) return 'existing';
  await provisionStep('SetQueueAttributes', `queue ${queue.name}`, () =>
    sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: changes })),
  );
  return 'updated';
}

async function readAttributes(
  sqs: SQSClient,
  queue: Pick<Queue, 'name' | 'url'>,
  names: QueueAttributeName[],
): Promise<Record<string, string | undefined>> {
  const { Attributes: attributes = {} } = await provisionStep(
    'GetQueueAttributes',
    `queue ${queue.name}`,
    () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: names })),
  );
  return attributes;
}

/** SQS hands JSON attributes (policies) back re-serialised, with numbers as numbers or strings. */
function sameAttributeValue(current: string | undefined, wanted: string): boolean {
  return current !== undefined && JSON.stringify(comparable(current)) === JSON.stringify(comparable(wanted));
}

function comparable(text: string): unknown {
  try {
    return normalised(JSON.parse(text));
  } catch {
    return text;
  }
}

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, normalised(item)]),
    );
  }
  return typeof value === 'number' ? String(value) : value;
}
