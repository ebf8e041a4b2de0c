import type { BatchFile } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { stackPerTest } from './support/stack-lifecycle';

const startStack = stackPerTest();

/** Uploadable (S3 takes keys up to 1,024 bytes), but too long once the results layout prefixes it. */
const LONG_KEY = `outputs/long/${'k'.repeat(990)}.png`;

it('dead-letters a key too long for the results layout, keeps a key that ends in an output suffix apart, and goes on', async () => {
  const stack = await startStack('message-failures');
  const files = await stack.uploadBatchFiles('outputs', 40);
  const image = files[files.length - 1].body;
  const named = (key: string, expected: BatchFile['expected']): BatchFile => ({ key, body: image, expected });
  const special: BatchFile[] = [
    named(LONG_KEY, { kind: 'dead-letter queue', reason: /too long/ }),
    // Each an image whose name is another image's output name under a flat layout.
    named(`${files[files.length - 1].key}.labels.json`, { kind: 'processed' }),
    named(`${files[0].key}.error.json`, { kind: 'processed' }),
  ];
  await stack.upload(special);

  const summary = await stack.finish(await stack.startBatch());

  await expectPipelineInvariants(stack, { files: [...files, ...special], runs: [completedRun(summary)] });
});

it('keeps messages hidden while their work outlives the visibility timeout, counting each once', async () => {
  // Fewer messages than CONCURRENCY: free slots receive whatever becomes visible again.
  const stack = await startStack('visibility', { settings: { MESSAGE_VISIBILITY_TIMEOUT: '2s' } });
  const files = await stack.uploadBatchFiles('visibility', 7);

  // Every model call refused from the first one on, for longer than the timeout (the model starts in
  // under a second): each message's detect retries past it. Injected mid-batch, a quick machine could
  // finish all seven before the fault.
  stack.modelServer.injectFault({ throttleFraction: 1, throttleForMs: 8_000 });
  const summary = await stack.finish(await stack.startBatch());

  expect(stack.modelUsage().totals.throttled).toBeGreaterThan(0);
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)], skippedExactly: true });
});
