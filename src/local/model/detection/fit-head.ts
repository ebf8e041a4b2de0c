import * as tf from '@tensorflow/tfjs';
import type { LinearHead, TrainingExample } from '../linear-head';

const STEPS = 100;
const LEARNING_RATE = 0.01;
const L2_PENALTY = 1e-3;

/**
 * Softmax regression, as the classifier's head, but on TensorFlow.js: a detector learns from thousands of
 * windows of 3,456 features, where plain JavaScript gradient descent would take minutes. Full-batch Adam
 * from zero weights: deterministic for the same examples in the same order.
 */
export function fitSoftmaxHead(examples: readonly TrainingExample[], outputs: number): LinearHead {
  const dimensions = examples[0].features.length;
  const inputs = new Float32Array(examples.length * dimensions);
  examples.forEach(({ features }, index) => inputs.set(features, index * dimensions));
  const weights = tf.variable(tf.zeros([dimensions, outputs]));
  const biases = tf.variable(tf.zeros([outputs]));
  try {
    const x = tf.tensor2d(inputs, [examples.length, dimensions]);
    const y = tf.oneHot(
      tf.tensor1d(
        examples.map(({ target }) => target),
        'int32',
      ),
      outputs,
    );
    const optimizer = tf.train.adam(LEARNING_RATE);
    for (let step = 0; step < STEPS; step++) {
      optimizer.minimize(() =>
        tf.losses
          .softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, x.matMul(weights).add(biases))
          .add(weights.square().sum().mul(L2_PENALTY)),
      );
    }
    optimizer.dispose();
    tf.dispose([x, y]);
    const columns = weights.transpose().arraySync() as number[][];
    return { weights: columns, biases: Array.from(biases.dataSync()) };
  } finally {
    weights.dispose();
    biases.dispose();
  }
}
