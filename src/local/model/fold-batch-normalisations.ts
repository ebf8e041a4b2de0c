import * as tf from '@tensorflow/tfjs';

/** A Keras layer as a model.json topology describes it. */
interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  /** Per call of the layer: its inputs, each `[layer name, node index, tensor index, keyword arguments]`. */
  inbound_nodes: Array<Array<[string, ...unknown[]]>>;
}

export interface KerasTopology {
  model_config: {
    config: {
      layers: KerasLayer[];
      output_layers: Array<[string, ...unknown[]]>;
    };
  };
}

/**
 * The convolutions a normalisation can be folded into: the name of the kernel's weights, and how many of its last
 * axes index the output channels (a depthwise kernel's are `[in, multiplier]`).
 */
const CONVOLUTIONS: Record<string, { kernel: string; outputAxes: number }> = {
  Conv2D: { kernel: 'kernel', outputAxes: 1 },
  DepthwiseConv2D: { kernel: 'depthwise_kernel', outputAxes: 2 },
};

/**
 * The same network, for inference only, with each batch normalisation that directly follows a convolution
 * (and is its only reader) folded into that convolution's kernel and bias: at inference it is a fixed
 * scale and offset per channel. On the WebAssembly backend batch normalisation as its own kernel took
 * nearly half of MobileNetV2's time; folded, the outputs agree to float rounding. The weights returned
 * are the ones given, except the folded kernels and biases, which are new tensors.
 */
export function foldBatchNormalisations(
  topology: KerasTopology,
  weights: tf.NamedTensorMap,
): { topology: KerasTopology; weights: tf.NamedTensorMap } {
  const folded = structuredClone(topology);
  const config = folded.model_config.config;
  const foldedWeights = { ...weights };
  for (const layer of [...config.layers]) {
    const convolution = layer.class_name === 'BatchNormalization' && foldableInto(layer, config.layers);
    if (!convolution) continue;
    Object.assign(
      foldedWeights,
      tf.tidy(() => foldedNormalisation(convolution, layer, foldedWeights)),
    );
    for (const part of ['gamma', 'beta', 'moving_mean', 'moving_variance']) {
      delete foldedWeights[`${layer.name}/${part}`];
    }
    convolution.config.use_bias = true;
    replace(config, layer, convolution);
  }
  return { topology: folded, weights: foldedWeights };
}

/** The convolution `layer` reads, when that is its only input and `layer` its only reader. */
function foldableInto(layer: KerasLayer, layers: readonly KerasLayer[]): KerasLayer | undefined {
  const inputs = layer.inbound_nodes.flat();
  if (layer.inbound_nodes.length !== 1 || inputs.length !== 1) return undefined;
  const input = layers.find(({ name }) => name === inputs[0][0]);
  const readers = layers.filter(({ inbound_nodes }) =>
    inbound_nodes.flat().some(([name]) => name === input?.name),
  );
  return input && CONVOLUTIONS[input.class_name] && readers.length === 1 ? input : undefined;
}

/** `x ↦ (x − mean) · gamma / √(variance + ε) + beta` applied to the convolution's output channels. */
function foldedNormalisation(
  convolution: KerasLayer,
  normalisation: KerasLayer,
  weights: tf.NamedTensorMap,
): tf.NamedTensorMap {
  const part = (name: string) => weights[`${normalisation.name}/${name}`];
  const mean = part('moving_mean');
  const scale = tf
    .rsqrt(part('moving_variance').add(Number(normalisation.config.epsilon)))
    .mul(part('gamma') ?? tf.onesLike(mean));
  const offset = (part('beta') ?? tf.zerosLike(mean)).sub(mean.mul(scale));
  const { kernel: kernelName, outputAxes } = CONVOLUTIONS[convolution.class_name];
  const kernel = `${convolution.name}/${kernelName}`;
  const bias = `${convolution.name}/bias`;
  return {
    [kernel]: weights[kernel].mul(scale.reshape(weights[kernel].shape.slice(-outputAxes))),
    [bias]: (weights[bias] ?? tf.zerosLike(offset)).mul(scale).add(offset),
  };
}

/** Removes `layer`; whatever read it reads `by` instead. */
function replace(config: KerasTopology['model_config']['config'], layer: KerasLayer, by: KerasLayer): void {
  config.layers = config.layers.filter((candidate) => candidate !== layer);
  for (const input of [
    ...config.layers.flatMap(({ inbound_nodes }) => inbound_nodes.flat()),
    ...config.output_layers,
  ]) {
    if (input[0] === layer.name) input[0] = by.name;
  }
}
