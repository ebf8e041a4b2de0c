import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeBuildStamp } from './build-stamp';
import { workflowInterceptorModules } from './observability/workflow-interceptor-modules';
import { prebuiltWorkflowBundle } from './worker';

/**
 * The steps of `npm run build` after tsc, run from lib/: copies the files tsc does not (the local stack's
 * moto launcher), bundles the compiled workflows (untraced and traced) so the production worker loads
 * them without webpack, and then stamps the build as made from these sources.
 */
async function main(): Promise<void> {
  cpSync(join(__dirname, '../src'), __dirname, {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
  for (const traced of [false, true]) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./workflows'),
      workflowInterceptorModules: workflowInterceptorModules(traced),
    });
    writeFileSync(prebuiltWorkflowBundle(traced), code);
  }
  writeBuildStamp();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
