import * as tf from '@tensorflow/tfjs';
import { convolved3x3, maxOverCells, projected } from '../../src/local/model/head-ops';
import { useWasmBackend } from '../../src/local/model/wasm-backend';

/**
 * Each operation against the same computation written with TensorFlow.js's own differentiable operations,
 * on the backend training uses: equal values and equal gradients for a loss weighting every output.
 */
beforeAll(async () => {
  await useWasmBackend();
});

/** Largest difference relative to the reference's largest magnitude. */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => actual.sub(expected).abs().max().dataSync()[0] / expected.abs().max().dataSync()[0]);
}

/** Value and gradients of `sum(f(inputs) · weights)` with respect to every input. */
function valueAndGradients(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number) {
  const value = f(...inputs);
  const weights = tf.randomNormal(value.shape, 0, 1, 'float32', seed);
  return {
    value,
    gradients: tf.grads((...x: tf.Tensor[]) =>
      f(...x)
        .mul(weights)
        .sum(),
    )(inputs),
  };
}

function expectSame(
  actual: ReturnType<typeof valueAndGradients>,
  expected: ReturnType<typeof valueAndGradients>,
) {
  expect(actual.value.shape).toEqual(expected.value.shape);
  expect(relativeError(actual.value, expected.value)).toBeLessThan(1e-5);
  actual.gradients.forEach((gradient, index) => {
    expect(gradient.shape).toEqual(expected.gradients[index].shape);
    expect(relativeError(gradient, expected.gradients[index])).toBeLessThan(1e-5);
  });
}

test('projected: the product, and the weights’ gradient', () => {
  tf.tidy(() => {
    const input = tf.randomNormal<tf.Rank.R2>([50, 7], 0, 1, 'float32', 1);
    const weights = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    expectSame(
      valueAndGradients((w) => projected(input, w as tf.Tensor2D), [weights], 3),
      valueAndGradients((w) => input.matMul(w), [weights], 3),
    );
  });
});

test('convolved3x3: a 3 × 3 convolution with zero padding, and both gradients', () => {
  tf.tidy(() => {
    const [count, rows, columns, channelsIn, channelsOut] = [3, 5, 6, 4, 2];
    const maps = tf.randomNormal([count, rows, columns, channelsIn], 0, 1, 'float32', 4);
    const filter = tf.randomNormal([3, 3, channelsIn, channelsOut], 0, 1, 'float32', 5);
    // The neighbourhood of every cell side by side, times the filter as a matrix: what a convolution is.
    const reference = (x: tf.Tensor, w: tf.Tensor) => {
      const padded = x.pad([
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const neighbours: tf.Tensor[] = [];
      for (let row = 0; row < 3; row++) {
        for (let column = 0; column < 3; column++) {
          neighbours.push(padded.slice([0, row, column, 0], [count, rows, columns, channelsIn]));
        }
      }
      return tf
        .concat(neighbours, 3)
        .reshape([-1, 9 * channelsIn])
        .matMul(w.reshape([9 * channelsIn, channelsOut]))
        .reshape([count, rows, columns, channelsOut]);
    };
    expectSame(
      valueAndGradients((x, w) => convolved3x3(x as tf.Tensor4D, w as tf.Tensor4D), [maps, filter], 6),
      valueAndGradients(reference, [maps, filter], 6),
    );
  });
});

test('maxOverCells: the maximum over cells, its gradient to the cells holding it, ties included', () => {
  tf.tidy(() => {
    const values = tf.randomNormal([2, 9, 3], 0, 1, 'float32', 7).arraySync() as number[][][];
    // Two cells of the first image hold the same maximum of channel 0: both get the gradient, as tf.max's.
    values[0][2][0] = 10;
    values[0][5][0] = 10;
    const withTie = tf.tensor3d(values);
    expectSame(
      valueAndGradients((x) => maxOverCells(x as tf.Tensor3D), [withTie], 8),
      valueAndGradients((x) => x.max(1), [withTie], 8),
    );
  });
});
