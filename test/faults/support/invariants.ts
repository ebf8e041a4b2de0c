import { outputKeys } from '../../../src/workflows/output-keys';
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
import { expectEveryRunReplays } from './replay-check';
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
  /** RUNNING when someone else started the model: the batches must leave it so. Default STOPPED. */
  modelEnd?: 'STOPPED' | 'RUNNING';
  /** Exactly `skipped`: no message was worked on twice (e.g. redelivered while it was being processed). */
  skippedExactly?: boolean;
  /** The one run the scenario made non-replayable on purpose: its replay must fail, every other run's pass. */
  nonReplayableRunId?: string;
}

type Location = 'processed' | 'failed' | 'dead-letter queue';

/**
 * The invariants every fault scenario ends with: each uploaded object is in exactly one of processed
 * (image + one labels JSON), failed (image + error JSON) or the dead-letter queue, where its content
 * says it belongs, and its JSON names the upload it describes; nothing else and nothing twice in the
 * results; the queue is empty and the source bucket holds only the dead-lettered objects, with no other
 * version of any image left behind (moved, not hidden); the model is STOPPED with no RUNNING interval left
 * open (or, started by someone else, still RUNNING in the one interval they opened); the runs' counts
 * equal the buckets; and every run the batches made replays from its history (see expectEveryRunReplays),
 * but for a run made non-replayable on purpose, whose replay must fail.
 */
export async function expectPipelineInvariants(stack: ScenarioStack, expected: ExpectedEnd): Promise<void> {
  const { config, clients } = stack;
  const [results, source, sourceVersions, deadLetters] = await Promise.all([
    listObjects(clients.s3, config.resultsBucket),
    listObjects(clients.s3, config.sourceBucket),
    listVersions(clients.s3, config.sourceBucket),
    drainDeadLetters(clients.sqs, config.deadLetterQueueUrl),
  ]);

  const neverProcessed = expected.files.filter((file) => file.expected.kind === 'dead-letter queue');
  expect([...source.keys()].sort()).toEqual(neverProcessed.map((file) => file.key).sort());
  expect(sourceVersions.map((version) => version.slice(0, version.lastIndexOf('@'))).sort()).toEqual(
    neverProcessed.map((file) => file.key).sort(),
  );
  expect(await stack.queuedMessages()).toBe(0);
  const modelEnd = expected.modelEnd ?? 'STOPPED';
  expect(await stack.modelStatus()).toBe(modelEnd);
  const open = stack.modelUsage().intervals.filter((interval) => interval.stoppedAt === null);
  expect(open).toHaveLength(modelEnd === 'RUNNING' ? 1 : 0);

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
  expect(wrongDeadLetterReasons(stack, neverProcessed, deadLetters)).toEqual([]);
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
    skippedExactly: expected.skippedExactly ?? false,
    failedByReason: failuresByReason(expected.files),
    concurrency: stack.config.concurrency,
  });
  await expectEveryRunReplays(stack, expected.nonReplayableRunId);
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
    .filter((key) => {
      const { processedImage, failedImage } = outputKeys(key);
      return !source.has(key) && !results.has(processedImage) && !results.has(failedImage);
    });
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
    const keys = outputKeys(key);
    for (const [location, image, json] of [
      ['processed', keys.processedImage, keys.labels],
      ['failed', keys.failedImage, keys.failure],
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
    if (expected.kind === 'dead-letter queue') return;
    const keys = outputKeys(key);
    const [imageKey, jsonKey] =
      expected.kind === 'processed' ? [keys.processedImage, keys.labels] : [keys.failedImage, keys.failure];
    if (results.get(imageKey) !== stack.uploaded.get(key)) {
      problems.push(`${imageKey} is not the uploaded image`);
    }
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

/** Each object that must not be processed is in a dead letter whose reason says why. */
function wrongDeadLetterReasons(stack: ScenarioStack, files: BatchFile[], letters: DeadLetter[]): string[] {
  const problems: string[] = [];
  for (const { key, expected } of files) {
    if (expected.kind !== 'dead-letter queue') continue;
    const letter = letters.find((candidate) => {
      const content = parseQueueMessage(candidate.body, stack.config.sourceBucket);
      return content.kind === 'objects' && content.objects.some((object) => object.key === key);
    });
    if (letter && !expected.reason.test(letter.reason)) {
      problems.push(`the dead letter of ${key} says ${letter.reason}, expected ${String(expected.reason)}`);
    }
  }
  return problems;
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
