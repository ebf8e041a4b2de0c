import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/**
 * Switches TensorFlow.js to the WebAssembly backend, once per process (tfjs-node cannot be installed here,
 * and the pure-JS CPU backend is an order of magnitude slower). The .wasm files are read from the installed
 * package, found from this module rather than the working directory, so nothing is fetched at run time.
 */
export function useWasmBackend(): Promise<void> {
  ready ??= initialise().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

async function initialise(): Promise<void> {
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('TensorFlow.js could not initialise its WebAssembly backend.');
  }
}
