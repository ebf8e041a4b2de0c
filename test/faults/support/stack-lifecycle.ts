import { ScenarioStack, type ScenarioOptions } from './scenario-stack';

/**
 * One stack for all the tests of a file, started before the first and closed after the last. Returns
 * it through a function: it exists only once beforeAll has run.
 */
export function stackPerFile(name: string, options?: ScenarioOptions): () => ScenarioStack {
  let stack: ScenarioStack | undefined;
  beforeAll(async () => {
    stack = await ScenarioStack.start(name, options);
  });
  afterAll(() => stack?.close());
  return () => {
    if (!stack) throw new Error(`the ${name} stack did not start (see beforeAll's error)`);
    return stack;
  };
}

/** Starts a stack inside a test that is closed after it, whether the test passed or not. */
export function stackPerTest(): (name: string, options?: ScenarioOptions) => Promise<ScenarioStack> {
  let stack: ScenarioStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  return async (name, options) => {
    stack = await ScenarioStack.start(name, options);
    return stack;
  };
}
