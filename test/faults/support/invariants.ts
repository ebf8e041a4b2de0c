import { parseQueueMessage } from '../../../src/workflows/s3-event';
import type { BatchFile } from './batch-files';
import {
  drainDeadLetters,
  forEachConcurrently,
  listObjects,
  listVersions,
  readJson,
  type DeadLetter,
} from './bucket-contents';
import { expectCountsMatch, type RunRecord } from './run-counts';

export { completedRun, runEndedEarly, type RunRecord } from './run-counts';
import type { ScenarioStack } from './scenario-stack';

export interface ExpectedEnd {
  /** Every file the batch must have handled, each with where it belongs. */
  files: BatchFile[];
  runs: RunRecord[];
  /** One pattern per message the pipeline itself must have sent to the dead-letter queue. */
  deadLetterReasons?: RegExp[];
  /** Messages the scenario makes find their object gone (duplicates, deleted objects): at least these. */
  skipped?: number;
  /** Uploads replaced by a later one under the same key: each labelled once, its outputs then overwritten. */
  superseded?: number;
}

type Location = 'processed' | 'failed' | 'dead-letter queue';

/**
 * The invariants every fault scenario ends with: each uploaded object is in exactly one of processed
 * (image + one labels JSON), failed (image + error JSON) or the dead-letter queue, where its content
 * says it belongs, and its JSON names the upload it describes; nothing else and nothing twice in the
 * results; the source bucket and the queue are empty, with no version of any image left behind (moved,
 * not hidden); the model is STOPPED and was never left running; the runs' counts equal the buckets.
 */
export async function expectPipelineInvariants(stack: ScenarioStack, expected: ExpectedEnd): Promise<void> {
  const { config, clients } = stack;
  const [results, source, sourceVersions, deadLetters] = await Promise.all([
    listObjects(clients.s3, config.resultsBucket),
    listObjects(clients.s3, config.sourceBucket),
    listVersions(clients.s3, config.sourceBucket),
    drainDeadLetters(clients.sqs, config.deadLetterQueueUrl),
  ]);

  expect([...source.keys()]).toEqual([]);
  expect(sourceVersions).toEqual([]);
  expect(await stack.queuedMessages()).toBe(0);
  expect(await stack.modelStatus()).toBe('STOPPED');
  expect(stack.modelUsage().intervals.filter((interval) => interval.stoppedAt === null)).toEqual([]);

  const { locations, unexpectedResults, otherDeadLetters } = locate(
    stack,
    expected.files,
    results,
    deadLetters,
  );
  expect(locations).toEqual(
    Object.fromEntries(expected.files.map((file) => [file.key, [file.expected.kind]])),
  );
  expect(unexpectedResults).toEqual([]);
  expect(await wrongResultContents(stack, expected.files, results)).toEqual([]);
  expect(unmatchedDeadLetters(otherDeadLetters, expected.deadLetterReasons ?? [])).toEqual({
    missing: [],
    unexpected: [],
  });

  const inBuckets = {
    processed:
      Object.values(locations).filter((where) => where.includes('processed')).length +
      (expected.superseded ?? 0),
    failed: Object.values(locations).filter((where) => where.includes('failed')).length,
    deadLetters: deadLetters.length,
    distinctDeadLetters: new Set(deadLetters.map((letter) => letter.originalMessageId)).size,
  };
  expectCountsMatch(expected.runs, {
    inBuckets,
    skipped: expected.skipped ?? 0,
    failedByReason: failuresByReason(expected.files),
    concurrency: stack.config.concurrency,
  });
}

/** Half-way (after a run ended early): each object is still in the source bucket, or its result exists. */
export async function expectNothingLost(stack: ScenarioStack, files: BatchFile[]): Promise<void> {
  const { config, clients } = stack;
  const [results, source] = await Promise.all([
    listObjects(clients.s3, config.resultsBucket),
    listObjects(clients.s3, config.sourceBucket),
  ]);
  const lost = files
    .map(({ key }) => key)
    .filter((key) => !source.has(key) && !results.has(`processed/${key}`) && !results.has(`failed/${key}`));
  expect(lost).toEqual([]);
}

function locate(
  stack: ScenarioStack,
  files: BatchFile[],
  results: Map<string, string>,
  deadLetters: DeadLetter[],
) {
  const locations: Record<string, Location[]> = {};
  const accounted = new Set<string>();
  const add = (key: string, location: Location) => (locations[key] ??= []).push(location);
  for (const { key } of files) {
    for (const [location, image, json] of [
      ['processed', `processed/${key}`, `processed/${key}.labels.json`],
      ['failed', `failed/${key}`, `failed/${key}.error.json`],
    ] as const) {
      // Half a result (an image without its JSON, or the reverse) stays unaccounted: reported below.
      if (results.has(image) && results.has(json)) {
        add(key, location);
        accounted.add(image).add(json);
      }
    }
  }
  const otherDeadLetters: DeadLetter[] = [];
  for (const letter of deadLetters) {
    const content = parseQueueMessage(letter.body, stack.config.sourceBucket);
    if (content.kind === 'objects')
      for (const object of content.objects) add(object.key, 'dead-letter queue');
    else otherDeadLetters.push(letter);
  }
  for (const { key } of files) locations[key] ??= [];
  const unexpectedResults = [...results.keys()].filter((key) => !accounted.has(key)).sort();
  return { locations, unexpectedResults, otherDeadLetters };
}

/**
 * The copied image is the last one uploaded under its key; each JSON names that upload (its eTag) and
 * says what the model said.
 */
async function wrongResultContents(
  stack: ScenarioStack,
  files: BatchFile[],
  results: Map<string, string>,
): Promise<string[]> {
  const { config, clients } = stack;
  const problems: string[] = [];
  await forEachConcurrently(files, async ({ key, expected }) => {
    const folder = expected.kind;
    if (results.get(`${folder}/${key}`) !== stack.uploaded.get(key)) {
      problems.push(`${folder}/${key} is not the uploaded image`);
    }
    const jsonKey = folder === 'processed' ? `processed/${key}.labels.json` : `failed/${key}.error.json`;
    if (!results.has(jsonKey)) return;
    const document = (await readJson(clients.s3, config.resultsBucket, jsonKey)) as {
      source?: { bucket?: string; key?: string; eTag?: string };
      customLabels?: unknown[];
      reason?: string;
    };
    const uploadedETag = stack.uploaded.get(key)?.replace(/"/g, '');
    const { bucket, key: sourceKey, eTag } = document.source ?? {};
    if (bucket !== config.sourceBucket || sourceKey !== key || eTag !== uploadedETag) {
      problems.push(`${jsonKey} names source ${JSON.stringify(document.source)}, not eTag ${uploadedETag}`);
    }
    if (expected.kind === 'processed' && !(document.customLabels?.length ?? 0)) {
      problems.push(`${jsonKey} has no labels`);
    }
    if (expected.kind === 'failed' && document.reason !== expected.reason) {
      problems.push(`${jsonKey} says ${document.reason}, expected ${expected.reason}`);
    }
  });
  return problems.sort();
}

/** Dead letters are compared by original message: a retried send after a crash is the same letter. */
function unmatchedDeadLetters(letters: DeadLetter[], reasons: RegExp[]) {
  const distinct = [...new Map(letters.map((letter) => [letter.originalMessageId, letter])).values()];
  const unexpected = distinct.map((letter) => letter.reason);
  const missing: string[] = [];
  for (const reason of reasons) {
    const index = unexpected.findIndex((text) => reason.test(text));
    if (index >= 0) unexpected.splice(index, 1);
    else missing.push(String(reason));
  }
  return { missing, unexpected };
}

function failuresByReason(files: BatchFile[]): Record<string, number> {
  const byReason: Record<string, number> = {};
  for (const { expected } of files) {
    if (expected.kind === 'failed') byReason[expected.reason] = (byReason[expected.reason] ?? 0) + 1;
  }
  return byReason;
}
