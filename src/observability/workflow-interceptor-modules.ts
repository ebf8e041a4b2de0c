/** Bundled with the workflows wherever they are bundled: `npm run build` and a worker run from sources. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-interceptors')];

/**
 * A traced worker's: Temporal's OpenTelemetry workflow interceptors too, outermost so a batch's span
 * encloses everything it does, and the span per message. Untraced workers leave them out and pay
 * nothing for tracing.
 */
export const TRACED_WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  require.resolve('./message-span-tracing'),
  ...WORKFLOW_INTERCEPTOR_MODULES,
];

export function workflowInterceptorModules(traced: boolean): string[] {
  return traced ? TRACED_WORKFLOW_INTERCEPTOR_MODULES : WORKFLOW_INTERCEPTOR_MODULES;
}
