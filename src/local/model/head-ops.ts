import * as tf from '@tensorflow/tfjs';

/*
 * Operations of the convolutional head whose gradients TensorFlow.js's WebAssembly backend would compute
 * slowly or not at all, each with a gradient made of kernels it runs fast. The backend has no gradient
 * kernels for convolutions, and its matrix product is several times slower when an operand is transposed
 * in place than when it is transposed first; together these were four fifths of a training step.
 */

/** What `tf.customGrad` passes: the inputs, then the function that keeps tensors for the gradient. */
type CustomGradArguments = Array<tf.Tensor | tf.GradSaveFunc>;

/**
 * `input` (not trained through) times `weights`: the gradient is only the weights', and it multiplies by
 * an explicitly transposed input.
 */
export function projected(input: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  const product = tf.customGrad((...args: CustomGradArguments) => {
    const [w, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([input]);
    return {
      value: input.matMul(w),
      gradFunc: (dy: tf.Tensor, [savedInput]: tf.Tensor[]) => [savedInput.transpose().matMul(dy)],
    };
  });
  return product(weights) as tf.Tensor2D;
}

/**
 * A 3 × 3 convolution, stride 1, zero beyond the edge (`'same'`), of `[count, rows, columns, in]` maps by a
 * `[3, 3, in, out]` filter. Both gradients are convolutions too: the input's by the filter turned half way
 * round with its channels swapped; the filter's by correlating the padded input with the output's
 * gradient, with the images as the channels the sum runs over.
 */
export function convolved3x3(maps: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const convolution = tf.customGrad((...args: CustomGradArguments) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.conv2d(x, w, 1, 'same'),
      gradFunc: (dy: tf.Tensor, [savedX, savedW]: tf.Tensor[]) => {
        const outputGradient = dy as tf.Tensor4D;
        const turned = tf.reverse(savedW, [0, 1]).transpose<tf.Tensor4D>([0, 1, 3, 2]);
        const padded = savedX.pad([
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]);
        const filterGradient = tf
          .conv2d(
            padded.transpose<tf.Tensor4D>([3, 1, 2, 0]),
            outputGradient.transpose<tf.Tensor4D>([1, 2, 0, 3]),
            1,
            'valid',
          )
          .transpose([1, 2, 0, 3]);
        return [tf.conv2d(outputGradient, turned, 1, 'same'), filterGradient];
      },
    };
  });
  return convolution(maps, filter);
}

/**
 * The maximum over axis 1 of `[count, cells, channels]`. Its gradient goes to every cell holding the
 * maximum, as TensorFlow.js's does, but found by a subtraction rather than a broadcast comparison.
 */
export function maxOverCells(values: tf.Tensor3D): tf.Tensor2D {
  const maximum = tf.customGrad((...args: CustomGradArguments) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const value = x.max(1);
    save([x, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [savedX, savedValue]: tf.Tensor[]) => {
        // 1 where a cell holds the maximum (difference 0), 0 below it (sign −1).
        const isMaximum = tf.sign(savedX.sub(savedValue.expandDims(1))).add(1);
        return [isMaximum.mul(dy.expandDims(1))];
      },
    };
  });
  return maximum(values) as tf.Tensor2D;
}
