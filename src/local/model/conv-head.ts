import * as tf from '@tensorflow/tfjs';
import { convolved3x3, maxOverCells, projected } from './head-ops';
import { seededRandom, shuffled } from './seeded-random';

/** `weights[input][output]`, `biases[output]`. */
export interface DenseLayer {
  weights: number[][];
  biases: number[];
}

/**
 * A small convolutional network over a feature map: each channel standardised, a 1 × 1 convolution to
 * HIDDEN channels, a 3 × 3 convolution over those, then the maximum and the mean of each over the map into
 * a softmax layer. The maximum answers "is there a corner like this anywhere", which is what tells outlines
 * apart wherever and however large they are drawn; the mean keeps what pooled features saw (textures).
 */
export interface ConvHead {
  grid: number;
  channelMeans: number[];
  channelScales: number[];
  pointwise: DenseLayer;
  /** Inputs are the 3 × 3 neighbourhood's HIDDEN channels, row by row, zero beyond the map's edge. */
  neighbourhood: DenseLayer;
  output: DenseLayer;
}

/** One training example: a feature map (grid × grid × channels, row-major) and its label's index. */
export interface MapExample {
  map: Float32Array;
  target: number;
}

const HIDDEN = 16;
/** Optimizer steps per head, whatever the number of images: ~17 passes over 96 images in four views. */
export const HEAD_STEPS = 200;
const BATCH = 32;
const LEARNING_RATE = 0.003;
const L2_PENALTY = 1e-4;
/**
 * Each batch is seen moved by up to this many cells each way (the edge filled with the channel means), so
 * the head learns that where a shape sits does not change what it is; ~30 images a label show too few places.
 */
const MAX_SHIFT = 1;

/**
 * Mini-batch Adam from seeded He-initialised weights. Batches are put together (and shifted) in plain
 * memory, which costs a copy, rather than gathered by TensorFlow.js, which cost a fifth of each step.
 * Repeatable: the same examples in the same order and seed give the same head.
 */
export function trainConvHead(
  examples: readonly MapExample[],
  grid: number,
  labelCount: number,
  seed: number,
): ConvHead {
  const channels = examples[0].map.length / (grid * grid);
  const { means, scales } = channelStatistics(examples, channels);
  const maps = examples.map(({ map }) => standardisedMap(map, means, scales));
  // In a tidy, so the initial values are released once the variables hold them.
  const layers = tf.tidy(() =>
    [
      [channels, HIDDEN],
      [9 * HIDDEN, HIDDEN],
      [2 * HIDDEN, labelCount],
    ].map(([inputs, outputs], index) => ({
      weights: tf.variable(
        tf.randomNormal([inputs, outputs], 0, Math.sqrt(2 / inputs), 'float32', seed + index),
      ),
      biases: tf.variable(tf.zeros([outputs])),
    })),
  );
  const optimizer = tf.train.adam(LEARNING_RATE);
  try {
    const random = seededRandom(seed);
    let order: number[] = [];
    for (let step = 0; step < HEAD_STEPS; step++) {
      if (order.length < BATCH)
        order = shuffled(
          examples.map((_, index) => index),
          random,
        );
      const batch = order.splice(0, BATCH);
      const shift = [randomShift(random), randomShift(random)] as const;
      tf.tidy(() => {
        const input = tf.tensor4d(
          shiftedBatch(
            batch.map((index) => maps[index]),
            grid,
            shift,
          ),
          [batch.length, grid, grid, channels],
        );
        const wanted = tf.oneHot(
          tf.tensor1d(
            batch.map((index) => examples[index].target),
            'int32',
          ),
          labelCount,
        );
        optimizer.minimize(() => {
          const loss = tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(wanted, logitsOf(input, layers));
          return layers.reduce((sum, { weights }) => sum.add(weights.square().sum().mul(L2_PENALTY)), loss);
        });
      });
    }
    const [pointwise, neighbourhood, output] = layers.map(({ weights, biases }) => ({
      weights: weights.arraySync() as number[][],
      biases: Array.from(biases.dataSync()),
    }));
    return { grid, channelMeans: means, channelScales: scales, pointwise, neighbourhood, output };
  } finally {
    optimizer.dispose();
    layers.forEach(({ weights, biases }) => tf.dispose([weights, biases]));
  }
}

/**
 * Probability of each label, in the head's label order, averaged over the maps given (views of one
 * image). Synchronous, so concurrent callers cannot interleave on the TensorFlow.js side.
 */
export function predictProbabilities(head: ConvHead, maps: readonly Float32Array[]): number[] {
  return tf.tidy(() => {
    const channels = head.channelMeans.length;
    const standardisedMaps = maps.map((map) => standardisedMap(map, head.channelMeans, head.channelScales));
    const input = tf.tensor4d(stacked(standardisedMaps), [maps.length, head.grid, head.grid, channels]);
    const layers = [head.pointwise, head.neighbourhood, head.output].map(({ weights, biases }) => ({
      weights: tf.tensor2d(weights),
      biases: tf.tensor1d(biases),
    }));
    const probabilities = Array.from(logitsOf(input, layers).softmax().mean(0).dataSync());
    // Summed again in double precision: float32 rounding leaves the total a few millionths off 1.
    const total = probabilities.reduce((sum, probability) => sum + probability, 0);
    return probabilities.map((probability) => probability / total);
  });
}

function logitsOf(
  input: tf.Tensor4D,
  [pointwise, neighbourhood, output]: ReadonlyArray<{ weights: tf.Tensor; biases: tf.Tensor }>,
): tf.Tensor2D {
  const [count, grid, , channels] = input.shape;
  const hidden = pointwise.weights.shape[1] ?? 0;
  const pointFeatures = projected(input.reshape([-1, channels]), pointwise.weights as tf.Tensor2D)
    .add(pointwise.biases)
    .relu()
    .reshape<tf.Tensor4D>([count, grid, grid, hidden]);
  // The weights' rows are the 3 × 3 neighbourhood's channels row by row: a convolution filter's layout.
  const filter = neighbourhood.weights.reshape<tf.Tensor4D>([3, 3, hidden, hidden]);
  const neighbourhoodFeatures = convolved3x3(pointFeatures, filter)
    .add(neighbourhood.biases)
    .relu()
    .reshape<tf.Tensor3D>([count, grid * grid, hidden]);
  return dense(tf.concat([maxOverCells(neighbourhoodFeatures), neighbourhoodFeatures.mean(1)], 1), output);
}

function randomShift(random: () => number): number {
  return Math.floor(random() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
}

/**
 * The maps, one after another, each moved `rows` down and `columns` right: what moves off the edge is
 * dropped, and zeros (the channel means, once standardised) move in.
 */
function shiftedBatch(
  maps: readonly Float32Array[],
  grid: number,
  [rows, columns]: readonly [number, number],
): Float32Array {
  const mapLength = maps[0].length;
  const channels = mapLength / (grid * grid);
  const batch = new Float32Array(maps.length * mapLength);
  const width = (grid - Math.abs(columns)) * channels;
  maps.forEach((map, index) => {
    for (let row = Math.max(0, rows); row < Math.min(grid, grid + rows); row++) {
      const from = ((row - rows) * grid + Math.max(0, -columns)) * channels;
      const to = index * mapLength + (row * grid + Math.max(0, columns)) * channels;
      batch.set(map.subarray(from, from + width), to);
    }
  });
  return batch;
}

function dense(input: tf.Tensor, layer: { weights: tf.Tensor; biases: tf.Tensor }): tf.Tensor2D {
  return input.matMul(layer.weights as tf.Tensor2D).add(layer.biases);
}

function standardisedMap(
  map: Float32Array,
  means: readonly number[],
  scales: readonly number[],
): Float32Array {
  const channels = means.length;
  return map.map((value, i) => (value - means[i % channels]) / scales[i % channels]);
}

/** Each channel's mean and standard deviation over every cell of every training map. */
function channelStatistics(examples: readonly MapExample[], channels: number) {
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let cells = 0;
  for (const { map } of examples) {
    for (let i = 0; i < map.length; i++) {
      sums[i % channels] += map[i];
      squares[i % channels] += map[i] * map[i];
    }
    cells += map.length / channels;
  }
  const means = Array.from(sums, (sum) => sum / cells);
  // The floor keeps a channel that never fires from being blown up into noise.
  const scales = means.map((mean, c) => Math.sqrt(Math.max(0, squares[c] / cells - mean * mean)) + 1e-3);
  return { means, scales };
}

function stacked(maps: readonly Float32Array[]): Float32Array {
  const result = new Float32Array(maps.reduce((sum, map) => sum + map.length, 0));
  maps.forEach((map, index) => result.set(map, index * maps[0].length));
  return result;
}
