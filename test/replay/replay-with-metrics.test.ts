import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-interceptor-modules';
import { replayEveryHistoryWith } from '../support/replay-with-interceptors';

/**
 * The worker bundles the batch-metrics interceptor with the workflows: it observes and emits metrics
 * but must issue no command, so every recorded history still replays with it in the bundle.
 */
replayEveryHistoryWith({
  named: 'the metrics interceptor',
  modules: WORKFLOW_INTERCEPTOR_MODULES,
  bundled: /"\.\/src\/observability\/workflow-interceptors\.ts"/,
});
