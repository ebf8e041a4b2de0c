import { PutObjectCommand } from '@aws-sdk/client-s3';
import { WorkflowFailedError } from '@temporalio/client';
import type { BatchFile } from './support/batch-files';
import { listObjects, readJson } from './support/bucket-contents';
import {
  completedRun,
  expectNothingLost,
  expectPipelineInvariants,
  runEndedEarly,
} from './support/invariants';
import type { ScenarioStack } from './support/scenario-stack';
import { stackPerTest } from './support/stack-lifecycle';

const startStack = stackPerTest();

/** Uploads `body` over `key` (a new version): returns the version the event will announce. */
async function overwrite(stack: ScenarioStack, key: string, body: Buffer): Promise<string> {
  const { VersionId, ETag } = await stack.clients.s3.send(
    new PutObjectCommand({ Bucket: stack.config.sourceBucket, Key: key, Body: body }),
  );
  stack.uploaded.set(key, ETag ?? '');
  return VersionId ?? '';
}

it('overwrite during a batch: every upload labelled as itself, the last one kept, no version deleted unlabelled, boxes kept', async () => {
  const stack = await startStack('overwrite');
  const files = await stack.uploadBatchFiles('overwrite', 120);
  stack.modelServer.injectFault({ answerWithBoxes: true });
  const good = files.filter((file) => file.expected.kind === 'processed');
  const handle = await stack.startBatch();

  // At 30 % of the batch, new images land under keys already moved, being worked on, and still queued.
  await stack.waitForShareDone(handle, 0.3, files.length);
  const done = Math.floor(0.3 * files.length);
  const targets: BatchFile[] = [
    ...files.slice(done - 20, done - 16),
    ...files.slice(done - 2, done + 10),
    ...files.slice(files.length - 6),
  ].filter((file) => file.expected.kind === 'processed');
  const versions = new Map<string, string>();
  await Promise.all(
    targets.map(async (file, index) => {
      const replacement = good[(good.indexOf(file) + Math.floor(good.length / 2) + index) % good.length];
      versions.set(file.key, await overwrite(stack, file.key, replacement.body));
    }),
  );
  const summary = await stack.finish(handle);

  await expectPipelineInvariants(stack, {
    files,
    runs: [completedRun(summary)],
    superseded: targets.length,
  });
  // Each labels JSON names the version that was labelled (for a replaced key, the replacement) and
  // keeps every label as the model answered it, its box included.
  for (const [key, versionId] of versions) {
    const labels = (await readJson(
      stack.clients.s3,
      stack.config.resultsBucket,
      `processed/${key}.labels.json`,
    )) as {
      source: { versionId?: string };
      customLabels: Array<{ Geometry?: { BoundingBox?: unknown; Polygon?: unknown[] } }>;
    };
    expect(labels.source.versionId).toBe(versionId);
    for (const label of labels.customLabels) {
      expect(label.Geometry).toMatchObject({ BoundingBox: expect.any(Object), Polygon: expect.any(Array) });
    }
  }
});

it('access denied: the batch stops naming the object and the permission, nothing is lost, and once granted the next batch finishes', async () => {
  const stack = await startStack('access-denied');
  const files = await stack.uploadBatchFiles('denied', 60);
  const denied = files.filter((file) => file.expected.kind === 'processed')[20];
  const { sourceBucket } = stack.config;
  stack.modelServer.injectFault({ denyObjectReads: [`s3://${sourceBucket}/${denied.key}`] });

  const handle = await stack.startBatch();
  const failure = await stack.finish(handle).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const where = `s3://${sourceBucket}/${denied.key}`.replace(/[.+()]/g, '\\$&');
  expect((failure as WorkflowFailedError).cause?.message).toMatch(
    new RegExp(
      `Rekognition could not read ${where} \\(version [^)]+\\), which exists .*s3:GetObject and s3:GetObjectVersion`,
    ),
  );
  expect((await listObjects(stack.clients.s3, sourceBucket)).has(denied.key)).toBe(true);
  expect(await stack.queuedMessages()).toBeGreaterThan(0);
  expect(await stack.modelStatus()).toBe('STOPPED');
  await expectNothingLost(stack, files);
  const stopped = await runEndedEarly(handle);
  expect(stopped.counts.skipped).toBe(0);

  stack.modelServer.clearFaults();
  const summary = await stack.finishNextBatch();
  await expectPipelineInvariants(stack, { files, runs: [stopped, completedRun(summary)] });
});
