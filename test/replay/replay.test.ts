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
  expect(histories.some((h) => /continues-as-new.*\.1$/.test(h.name))).toBe(true);
});

it('keeps a history recorded before the last patch, so patched code must still replay it', () => {
  expect(histories.some((h) => h.name.startsWith('recorded-before-patch-'))).toBe(true);
});

it('keeps a history recorded before CONTINUE_AS_NEW_AFTER_EVENTS: such runs hand over when the server suggests', () => {
  expect(histories.some((h) => h.name.startsWith('recorded-before-event-budget.'))).toBe(true);
});

interface RecordedHistory {
  events: Array<{
    workflowExecutionStartedEventAttributes?: { input: { payloads: Array<{ data: string }> } };
  }>;
}

/** The workflow input a recorded run started with. */
function startInput(history: unknown): Record<string, unknown> {
  const [started] = (history as RecordedHistory).events;
  const [payload] = started.workflowExecutionStartedEventAttributes!.input.payloads;
  return JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as Record<string, unknown>;
}

it('keeps runs of both input shapes: settings as text with a carry-over, and parsed settings with a BatchState', () => {
  const inputs = histories.map((h) => startInput(h.history));
  expect(inputs.some((input) => 'carryOver' in input)).toBe(true);
  expect(inputs.some((input) => 'state' in input)).toBe(true);
});

it('bundles the workflow without config, activity or local code (settings arrive parsed)', async () => {
  const { code } = await workflowBundle();
  expect(code).toMatch(/"\.\/src\/workflows\/batch-workflow\.ts"/);
  expect(code).not.toMatch(/"\.\/src\/(config|activities|local)\//);
});

it.each(histories.map((h) => [h.name, h] as const))('replays %s', async (_name, { workflowId, history }) => {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
});

describe('a non-deterministic change', () => {
  let changed: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, 'nondeterministic-workflow.ts'),
      logger: quietBundlerLogger,
    });
  });

  it('fails replay with a determinism violation', async () => {
    const { workflowId, history } = histories.find((h) => /starts-the-model/.test(h.name))!;
    await expect(
      Worker.runReplayHistory({ workflowBundle: changed }, history, workflowId),
    ).rejects.toMatchObject({
      name: 'DeterminismViolationError',
    });
  });
});
