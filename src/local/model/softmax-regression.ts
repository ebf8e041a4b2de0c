/** A linear layer and softmax over raw embeddings: `weights[label][feature]`, `biases[label]`. */
export interface LinearHead {
  weights: number[][];
  biases: number[];
}

export interface TrainingExample {
  features: Float32Array;
  /** Index into the head's labels. */
  target: number;
}

const ITERATIONS = 400;
const LEARNING_RATE = 1;
const L2_PENALTY = 1e-3;
/** Keeps constant features (std 0) from dividing by zero; they then contribute nothing. */
const MIN_STD = 1e-6;

/**
 * Multinomial logistic regression by full-batch gradient descent from all-zero weights. The loss is convex
 * and nothing is sampled, so the result depends only on the examples and their order: no seed needed.
 * A few hundred examples × 1280 features train in well under a second, so there is no need for tfjs here.
 */
export function trainSoftmaxRegression(examples: readonly TrainingExample[], labelCount: number): LinearHead {
  const { mean, scale } = standardisation(examples);
  // Standardised, then divided by √dimensions so each row has unit norm on average: that bounds the
  // curvature of the loss, which is what lets one fixed learning rate work for any data set.
  const inputs = examples.map(({ features }) =>
    Float64Array.from(features, (value, d) => (value - mean[d]) * scale[d]),
  );
  const dimensions = mean.length;
  const weights = Array.from({ length: labelCount }, () => new Float64Array(dimensions));
  const biases = new Float64Array(labelCount);

  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const weightGradients = weights.map(() => new Float64Array(dimensions));
    const biasGradients = new Float64Array(labelCount);
    inputs.forEach((input, n) => {
      const probabilities = softmax(weights.map((row, k) => dot(row, input) + biases[k]));
      probabilities.forEach((probability, k) => {
        const error = (probability - (k === examples[n].target ? 1 : 0)) / inputs.length;
        biasGradients[k] += error;
        addScaled(weightGradients[k], input, error);
      });
    });
    weights.forEach((row, k) => {
      addScaled(weightGradients[k], row, L2_PENALTY);
      addScaled(row, weightGradients[k], -LEARNING_RATE);
      biases[k] -= LEARNING_RATE * biasGradients[k];
    });
  }

  // Fold the standardisation into the weights, so the saved head applies to raw embeddings.
  return {
    weights: weights.map((row) => Array.from(row, (weight, d) => weight * scale[d])),
    biases: Array.from(
      biases,
      (bias, k) => bias - weights[k].reduce((sum, weight, d) => sum + weight * scale[d] * mean[d], 0),
    ),
  };
}

/** Probability of each label, in the head's label order. */
export function predictProbabilities(head: LinearHead, features: Float32Array): number[] {
  return softmax(head.weights.map((row, k) => dot(row, features) + head.biases[k]));
}

function standardisation(examples: readonly TrainingExample[]): { mean: Float64Array; scale: Float64Array } {
  const dimensions = examples[0].features.length;
  const mean = new Float64Array(dimensions);
  const variance = new Float64Array(dimensions);
  for (const { features } of examples) addScaled(mean, features, 1 / examples.length);
  for (const { features } of examples) {
    features.forEach((value, d) => (variance[d] += (value - mean[d]) ** 2 / examples.length));
  }
  const scale = variance.map((v) => 1 / (Math.max(Math.sqrt(v), MIN_STD) * Math.sqrt(dimensions)));
  return { mean, scale };
}

function softmax(logits: number[]): number[] {
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
