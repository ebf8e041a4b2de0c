/** A linear layer and softmax over feature vectors: `weights[label][feature]`, `biases[label]`. */
export interface LinearHead {
  weights: number[][];
  biases: number[];
}

export interface TrainingExample {
  features: Float32Array;
  /** Index into the head's labels. */
  target: number;
}
