/** Bundled with the workflows wherever they are bundled: `npm run build` and a worker run from sources. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-interceptors')];
