import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowInterceptorModules } from '../../src/observability/workflow-interceptor-modules';
import { quietBundlerLogger } from '../support/temporal';

/** The workflow bundle a worker loads, as `npm run build` makes it: its modules are named in its code. */
async function workflowBundleCode(traced: boolean): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules: workflowInterceptorModules(traced),
    logger: quietBundlerLogger,
  });
  return code;
}

/** A module of the bundle, by the end of its path (webpack names each at the start of a line). */
const moduleAt = (path: string) => new RegExp(`^/\\*\\*\\*/ "[^"]*${path.replace(/\./g, '\\.')}`, 'm');

const MESSAGE_SPAN_HOOK = moduleAt('src/workflows/message-span.ts"');
const TRACING_MODULES = [
  moduleAt('node_modules/@opentelemetry/'),
  moduleAt('node_modules/@temporalio/interceptors-opentelemetry/'),
  moduleAt('src/observability/message-span-tracing.ts"'),
];

it('leaves all tracing code out of the untraced bundle: the message span hook is there, and a no-op', async () => {
  const code = await workflowBundleCode(false);
  expect(code).toMatch(MESSAGE_SPAN_HOOK);
  for (const module of TRACING_MODULES) expect(code).not.toMatch(module);
});

it('bundles the OpenTelemetry interceptors and the message span in the traced bundle', async () => {
  const code = await workflowBundleCode(true);
  expect(code).toMatch(MESSAGE_SPAN_HOOK);
  for (const module of TRACING_MODULES) expect(code).toMatch(module);
});
