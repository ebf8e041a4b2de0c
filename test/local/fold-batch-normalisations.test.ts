import * as tf from '@tensorflow/tfjs';
import { loadWithBatchNormalisationsFolded } from '../../src/local/model/fold-batch-normalisations';
import { useWasmBackend } from '../../src/local/model/wasm-backend';

beforeAll(async () => {
  await useWasmBackend();
});

/**
 * A small network with what MobileNetV2 has (normalisations after plain and depthwise convolutions, with
 * and without a bias, a ReLU6, a residual sum, a normalisation as an output) and one normalisation that
 * must stay: its convolution is also read by the sum.
 */
function network(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const conv = (name: string, filters: number, kernelSize: number, useBias: boolean) =>
    tf.layers.conv2d({ name, filters, kernelSize, padding: 'same', useBias });
  const normalised = (name: string, x: tf.SymbolicTensor) =>
    tf.layers.batchNormalization({ name, epsilon: 0.001 }).apply(x) as tf.SymbolicTensor;
  const expanded = tf.layers
    .reLU({ maxValue: 6 })
    .apply(normalised('expand_bn', conv('expand', 4, 3, false).apply(input) as tf.SymbolicTensor));
  const depthwise = tf.layers
    .depthwiseConv2d({ name: 'depthwise', kernelSize: 3, padding: 'same', useBias: false })
    .apply(expanded) as tf.SymbolicTensor;
  const projected = normalised(
    'project_bn',
    conv('project', 6, 1, true).apply(normalised('depthwise_bn', depthwise)) as tf.SymbolicTensor,
  );
  const shortcut = conv('shortcut', 6, 1, false).apply(expanded) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([projected, shortcut]) as tf.SymbolicTensor;
  const output = normalised('output_bn', conv('output', 5, 3, false).apply(sum) as tf.SymbolicTensor);
  const model = tf.model({ inputs: input, outputs: [output, normalised('shortcut_bn', shortcut)] });
  // Trained-looking statistics, so that folding them in changes the weights.
  let seed = 1;
  for (const layer of model.layers) {
    layer.setWeights(
      layer.getWeights().map((weights, index) => {
        const random = tf.randomUniform(weights.shape, 0.5, 1.5, 'float32', seed++);
        return /variance|gamma/.test(layer.weights[index].name) ? random : random.sub(1);
      }),
    );
  }
  return model;
}

async function saved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((saving) => {
      artifacts = saving;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  return artifacts as tf.io.ModelArtifacts;
}

test('gives the same outputs without the normalisations it could fold', async () => {
  const original = network();
  const { modelTopology, weightSpecs, weightData } = await saved(original);
  const folded = await loadWithBatchNormalisationsFolded({
    modelTopology: modelTopology as object,
    weightSpecs: weightSpecs ?? [],
    weightData: weightData as ArrayBuffer,
  });

  expect(folded.layers.map(({ name }) => name).filter((name) => name.endsWith('_bn'))).toEqual([
    'shortcut_bn',
  ]);
  expect(folded.getLayer('project').getWeights()).toHaveLength(2);
  expect(folded.getLayer('depthwise').getWeights()).toHaveLength(2);
  const input = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 99);
  const expected = original.predict(input) as tf.Tensor[];
  const actual = folded.predict(input) as tf.Tensor[];
  actual.forEach((output, index) => {
    expect(output.shape).toEqual(expected[index].shape);
    const scale = expected[index].abs().max().dataSync()[0];
    expect(output.sub(expected[index]).abs().max().dataSync()[0] / scale).toBeLessThan(1e-5);
  });
});
