import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { join } from 'node:path';
import { loadHistories } from '../support/histories';
import { quietBundlerLogger, workflowBundle } from '../support/temporal';

/**
 * Every committed history (recorded from real runs by `npm run record-histories`) must replay against
 * the current workflow code: a change that would break running batches fails here.
 */
const histories = loadHistories();

it('has fixtures for the workflow scenarios, continue-as-new included', () => {
  expect(histories.length).toBeGreaterThanOrEqual(10);
  expect(histories.some((h) => /continues-as-new.*\.1$/.test(h.workflowId))).toBe(true);
});

it('keeps a history recorded before the last patch, so patched code must still replay it', () => {
  expect(histories.some((h) => h.workflowId.startsWith('recorded-before-patch-'))).toBe(true);
});

it('keeps a history recorded before CONTINUE_AS_NEW_AFTER_EVENTS: such runs hand over when the server suggests', () => {
  expect(histories.some((h) => h.workflowId.startsWith('recorded-before-event-budget.'))).toBe(true);
});

it.each(histories.map((h) => [h.workflowId, h] as const))(
  'replays %s',
  async (_name, { workflowId, history }) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
  },
);

describe('a non-deterministic change', () => {
  let changed: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, 'nondeterministic-workflow.ts'),
      logger: quietBundlerLogger,
    });
  });

  it('fails replay with a determinism violation', async () => {
    const { workflowId, history } = histories.find((h) => /starts-the-model/.test(h.workflowId))!;
    await expect(
      Worker.runReplayHistory({ workflowBundle: changed }, history, workflowId),
    ).rejects.toMatchObject({
      name: 'DeterminismViolationError',
    });
  });
});
