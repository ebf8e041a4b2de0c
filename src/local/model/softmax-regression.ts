/** A linear layer and softmax over embeddings: `weights[label][feature]`, `biases[label]`. */
export interface LinearHead {
  weights: number[][];
  biases: number[];
}

export interface TrainingExample {
  features: Float32Array;
  /** Index into the head's labels. */
  target: number;
}

const ITERATIONS = 500;
/**
 * In units of 1 / (mean squared norm of the inputs): the loss's curvature grows with that norm, so scaling
 * by it keeps gradient descent stable whatever the embedding's scale.
 */
const STEP_SIZE = 8;
/** Weak: with a few dozen images per label, stopping after ITERATIONS does most of the regularising. */
const L2_PENALTY = 1e-4;

/**
 * Multinomial logistic regression by full-batch gradient descent from all-zero weights. The loss is convex
 * and nothing is sampled, so the result depends only on the examples and their order: no seed needed.
 * Inputs are used as they are: the embedder already normalises them, and standardising each feature as
 * well measured slightly worse (it amplifies the many near-silent ones).
 */
export function trainSoftmaxRegression(examples: readonly TrainingExample[], labelCount: number): LinearHead {
  const dimensions = examples[0].features.length;
  const meanSquaredNorm =
    examples.reduce((sum, { features }) => sum + dot(features, features), 0) / examples.length;
  const learningRate = STEP_SIZE / meanSquaredNorm;
  const weights = Array.from({ length: labelCount }, () => new Float64Array(dimensions));
  const biases = new Float64Array(labelCount);

  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const weightGradients = weights.map((row) => row.map((weight) => L2_PENALTY * weight));
    const biasGradients = new Float64Array(labelCount);
    for (const { features, target } of examples) {
      predictFrom(weights, biases, features).forEach((probability, k) => {
        const error = (probability - (k === target ? 1 : 0)) / examples.length;
        biasGradients[k] += error;
        addScaled(weightGradients[k], features, error);
      });
    }
    weights.forEach((row, k) => addScaled(row, weightGradients[k], -learningRate));
    addScaled(biases, biasGradients, -learningRate);
  }
  return { weights: weights.map((row) => Array.from(row)), biases: Array.from(biases) };
}

/** Probability of each label, in the head's label order. */
export function predictProbabilities(head: LinearHead, features: Float32Array): number[] {
  return predictFrom(head.weights, head.biases, features);
}

function predictFrom(
  weights: ReadonlyArray<ArrayLike<number>>,
  biases: ArrayLike<number>,
  features: Float32Array,
): number[] {
  const logits = weights.map((row, k) => dot(row, features) + biases[k]);
  const max = Math.max(...logits);
  const exponentials = logits.map((logit) => Math.exp(logit - max));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** target += factor × source, in place. */
function addScaled(target: Float64Array, source: ArrayLike<number>, factor: number): void {
  for (let i = 0; i < target.length; i++) target[i] += factor * source[i];
}
