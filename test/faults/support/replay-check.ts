import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../../src/observability/workflow-interceptor-modules';
import { quietBundlerLogger } from '../../support/temporal';
import type { ScenarioStack } from './scenario-stack';

/**
 * Every run the scenario's batches made, replayed from its persisted history against the workflow code:
 * a run whose live decisions a replay would not repeat fails here, even when no replay happened during
 * the scenario (a later worker restart would have stuck that batch). A failing history is kept on disk.
 */
let productionBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflows with the interceptors the production worker bundles. */
function bundleAsTheWorkerDoes(): Promise<WorkflowBundleWithSourceMap> {
  productionBundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../../src/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
  return productionBundle;
}

/**
 * `nonReplayableRunId`: the one run a scenario made non-replayable on purpose (its last task ran other
 * workflow code); its replay must fail with a nondeterminism error instead.
 */
export async function expectEveryRunReplays(
  stack: ScenarioStack,
  nonReplayableRunId?: string,
): Promise<void> {
  const { client } = stack.temporal;
  const failures: string[] = [];
  let nonReplayableRunSeen = false;
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${stack.config.taskQueue}'` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const replay = Worker.runReplayHistory(
      { workflowBundle: await bundleAsTheWorkerDoes() },
      history,
      execution.workflowId,
    );
    if (execution.runId === nonReplayableRunId) {
      nonReplayableRunSeen = true;
      await expect(replay).rejects.toThrow(DeterminismViolationError);
      continue;
    }
    try {
      await replay;
    } catch (error) {
      const file = join(tmpdir(), `nondeterministic-${execution.runId}.json`);
      writeFileSync(file, JSON.stringify(history));
      failures.push(`${execution.workflowId} run ${execution.runId}: ${String(error)} (history: ${file})`);
    }
  }
  expect(failures).toEqual([]);
  expect(nonReplayableRunSeen).toBe(nonReplayableRunId !== undefined);
}
