import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  formatEvaluation,
  listModelVersions,
  loadClassifier,
  OutdatedModelError,
  trainModel,
  type Classifier,
  type ClassificationModelFile,
  type TrainedModel,
} from '../../src/local/model';
import { readDataset } from '../../src/local/model/dataset';
import { embedDataset, mapExamples } from '../../src/local/model/embed-dataset';
import { EMBEDDING } from '../../src/local/model/backbone';
import { INFERENCE_VIEWS, TRAINING_VIEWS } from '../../src/local/model/embedder';
import { evaluate } from '../../src/local/model/evaluation';
import { HEAD_STEPS } from '../../src/local/model/conv-head';
import { ensembleProbabilities, trainHeadEnsemble } from '../../src/local/model/head-ensemble';
import { stratifiedSplit } from '../../src/local/model/split';
import { writeShapeClassificationSet } from '../../scripts/shape-datasets';
import { SAMPLE_DATA_DIR, sampleLabels } from '../support/rekognition';

const ACCOUNT = '210987654321';
/** Training maps every image in four views: ~20 s on an idle 2-core machine, several times that when shared. */
const TRAINING_TIMEOUT_MS = 15 * 60_000;
const REGION = 'eu-west-1';

let workDir: string;
let dataDir: string;
let modelsDir: string;
let trained: TrainedModel;
let classifier: Classifier;
const logLines: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'clb-model-test-'));
  dataDir = join(workDir, 'data');
  modelsDir = join(workDir, 'models');
  await cp(SAMPLE_DATA_DIR, dataDir, { recursive: true });
  // What a real folder picks up: notes next to the images, and Finder metadata.
  await writeFile(join(dataDir, 'dots', 'notes.txt'), 'not an image');
  await writeFile(join(dataDir, 'dots', '.DS_Store'), 'Finder metadata');
  trained = await trainModel({
    dataDir,
    project: 'patterns',
    version: 'v1',
    modelsDir,
    region: REGION,
    account: ACCOUNT,
    log: (line) => logLines.push(line),
  });
  classifier = await loadClassifier(trained);
}, TRAINING_TIMEOUT_MS);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('training on the sample data', () => {
  test('scores at least 95% on the held-out images, with per-label metrics and thresholds', () => {
    const { evaluation } = trained;
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.perLabel.map(({ label }) => label)).toEqual(sampleLabels());
    expect(evaluation.heldOutCount + evaluation.trainingCount).toBe(3 * 40);
    for (const label of evaluation.perLabel) {
      expect(label.support).toBe(8);
      for (const score of [label.precision, label.recall, label.f1]) {
        expect(score).toBeGreaterThanOrEqual(0.8);
        expect(score).toBeLessThanOrEqual(1);
      }
      expect(label.assumedThreshold).toBeGreaterThan(0);
      expect(label.assumedThreshold).toBeLessThan(100);
      expect(trained.thresholds[label.label]).toBe(label.assumedThreshold);
    }
  });

  test('skips a file that is not an image, saying why, and ignores hidden files', () => {
    expect(trained.skippedFiles).toEqual([join(dataDir, 'dots', 'notes.txt')]);
    expect(logLines).toContain(`Skipping ${join(dataDir, 'dots', 'notes.txt')}: not a JPEG or PNG image.`);
    expect(logLines.join('\n')).not.toContain('.DS_Store');
  });

  test('saves model.json with Rekognition-shaped names and ARNs, the evaluation and the head', async () => {
    const modelPath = join(modelsDir, 'patterns', 'v1', 'model.json');
    expect(trained.modelPath).toBe(modelPath);
    const saved = JSON.parse(await readFile(modelPath, 'utf8')) as ClassificationModelFile;
    expect(saved).toMatchObject({
      projectName: 'patterns',
      versionName: 'v1',
      projectArn: `arn:aws:rekognition:${REGION}:${ACCOUNT}:project/patterns/${saved.createdAt}`,
      projectVersionArn: `arn:aws:rekognition:${REGION}:${ACCOUNT}:project/patterns/version/v1/${saved.createdAt}`,
      labels: sampleLabels(),
      thresholds: trained.thresholds,
      evaluation: trained.evaluation,
      embedding: { inputSize: 224, layer: 'block_12_add', grid: 14, channels: 96 },
    });
    expect(Math.abs(saved.createdAt - Date.now())).toBeLessThan(10 * 60_000);
    expect(saved.head.members.length).toBeGreaterThan(1);
    for (const member of saved.head.members) {
      expect(member.channelMeans).toHaveLength(saved.embedding.channels);
      expect(member.pointwise.weights).toHaveLength(saved.embedding.channels);
      expect(member.output.biases).toHaveLength(3);
    }
    // Members from different seeds: identical ones would be one head paid for several times.
    expect(saved.head.members[1].output.weights).not.toEqual(saved.head.members[0].output.weights);
  });

  /**
   * Work, not time: the counts do not depend on what else the machine is doing. Each image goes through
   * the backbone once per view (never again for evaluation), and the heads take a fixed number of steps.
   */
  test('records and prints what training cost', () => {
    const work = {
      backbonePasses: 96 * TRAINING_VIEWS.length + 24 * INFERENCE_VIEWS.length,
      optimizerSteps: 3 * HEAD_STEPS,
    };
    expect(trained.training.work).toEqual(work);
    expect(logLines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Mapped 120 images in ${work.backbonePasses} backbone passes \\(\\d+\\.\\d s\\)\\.$`),
      ),
    );
    expect(logLines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Fitted 3 heads in ${work.optimizerSteps} optimizer steps \\(\\d+\\.\\d s\\)\\.$`),
      ),
    );
    expect(logLines).toContainEqual(
      expect.stringMatching(/^Trained in \d+\.\d s; saved arn:aws:rekognition:.* to .*model\.json$/),
    );
  });

  test('prints the evaluation as a table', () => {
    const table = formatEvaluation(trained.evaluation);
    expect(table).toContain('Evaluation on 24 held-out images (trained on 96)');
    for (const label of sampleLabels()) expect(table).toMatch(new RegExp(`^${label} +\\d\\.\\d{3} `, 'm'));
    expect(table).toMatch(/Accuracy \d+\.\d%, macro F1 \d\.\d{3}/);
  });
});

describe('outline-defined classes: circle, square, star, triangle (30 each, random colours, sizes, places, rotations)', () => {
  const SPLIT_SEEDS = [1, 2, 3, 4, 5];

  /**
   * Issue 14's goal. Measured on this set (seeded, so repeatable): 0.958, 1.000, 1.000, 0.917, 1.000, mean
   * 0.975; one head without shifted batches 0.833, 0.917, 0.958, 0.875, 1.000 (mean 0.917); pooled features
   * and a linear head 0.792, 0.958, 0.750, 0.792, 0.708 (mean 0.800). The worst bound is the worst measured
   * seed: 22 of 24, so one more mistake on any split fails.
   */
  test(
    'held-out accuracy averages at least 95% over several split seeds, none below 90%',
    async () => {
      const shapesDir = join(workDir, 'shapes');
      await writeShapeClassificationSet(shapesDir, { seed: 11, imagesPerLabel: 30 });
      const dataset = await readDataset(shapesDir, () => undefined);
      // Mapped once, shared by every split: the splits differ only in which images the head learns from.
      const everyImage = dataset.images.map((_, index) => index);
      const mapped = await embedDataset(dataset, everyImage, TRAINING_VIEWS, () => undefined);
      const inferenceViews = INFERENCE_VIEWS.map((view) => TRAINING_VIEWS.indexOf(view));
      const accuracies = SPLIT_SEEDS.map((seed) => {
        const split = stratifiedSplit(
          dataset.images.map(({ label }) => label),
          0.2,
          seed,
        );
        const head = trainHeadEnsemble(
          mapExamples(split.training.map((index) => mapped[index])),
          EMBEDDING.grid,
          dataset.labels.length,
          seed,
        );
        const heldOut = split.heldOut.map((index) => ({
          probabilities: ensembleProbabilities(
            head,
            inferenceViews.map((view) => mapped[index].maps[view]),
          ),
          target: mapped[index].target,
        }));
        return evaluate(dataset.labels, heldOut, split.training.length).accuracy;
      });
      const mean = accuracies.reduce((sum, accuracy) => sum + accuracy, 0) / accuracies.length;
      console.log(
        `shapes: held-out accuracy ${accuracies.map((a) => a.toFixed(3)).join(', ')}; mean ${mean.toFixed(3)}`,
      );
      expect(mean).toBeGreaterThanOrEqual(0.95);
      expect(Math.min(...accuracies)).toBeGreaterThanOrEqual(0.9);
    },
    2 * TRAINING_TIMEOUT_MS,
  );
});

describe('listing model versions', () => {
  test('finds the trained version, without its weights', async () => {
    const versions = await listModelVersions(modelsDir);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      projectVersionArn: trained.projectVersionArn,
      modelPath: trained.modelPath,
    });
    expect(versions[0]).not.toHaveProperty('head');
  });

  test('leaves out a version folder that has no model.json yet (still training)', async () => {
    await mkdir(join(modelsDir, 'patterns', 'in-progress'));
    try {
      expect((await listModelVersions(modelsDir)).map(({ versionName }) => versionName)).toEqual(['v1']);
    } finally {
      await rm(join(modelsDir, 'patterns', 'in-progress'), { recursive: true });
    }
  });

  test('names a model.json it cannot read', async () => {
    const otherModels = join(workDir, 'corrupt-models');
    await mkdir(join(otherModels, 'p', 'v'), { recursive: true });
    await writeFile(join(otherModels, 'p', 'v', 'model.json'), '{"projectName": ');
    await expect(listModelVersions(otherModels)).rejects.toThrow(
      `${join(otherModels, 'p', 'v', 'model.json')} is not a model written by \`custom-labels-batch local train\``,
    );
  });

  test('finds nothing in a models folder that does not exist yet', async () => {
    await expect(listModelVersions(join(workDir, 'no-models-yet'))).resolves.toEqual([]);
  });
});

describe('classifying', () => {
  test('puts the right label first for images of every label, with every label scored', async () => {
    for (const label of sampleLabels()) {
      const files = (await readdir(join(dataDir, label)))
        .filter((name) => /\.(jpg|png)$/.test(name))
        .slice(0, 4);
      for (const file of files) {
        const labels = await classifier.classify(await readFile(join(dataDir, label, file)));
        expect(labels[0].Name).toBe(label);
        expect(labels.map(({ Name }) => Name).sort()).toEqual(sampleLabels());
        expect(labels.map(({ Confidence }) => Confidence)).toEqual(
          labels.map(({ Confidence }) => Confidence).sort((a, b) => b - a),
        );
        expect(labels.reduce((sum, { Confidence }) => sum + Confidence, 0)).toBeCloseTo(100, 6);
      }
    }
  });

  test('gives the same answers when called concurrently, and leaks no tensors', async () => {
    const images = await Promise.all(
      sampleLabels().map(async (label) => {
        const file = (await readdir(join(dataDir, label))).find((name) => /\.(jpg|png)$/.test(name));
        return readFile(join(dataDir, label, file ?? ''));
      }),
    );
    const one = await Promise.all(images.map((image) => classifier.classify(image)));
    const tensorsBefore = tf.memory().numTensors;
    const many = await Promise.all(
      [...images, ...images, ...images].map((image) => classifier.classify(image)),
    );
    expect(many).toEqual([...one, ...one, ...one]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  test('says to retrain a model saved in an older format', async () => {
    const saved = JSON.parse(await readFile(trained.modelPath, 'utf8')) as ClassificationModelFile;
    const olderDir = join(workDir, 'older-format');
    await mkdir(join(olderDir, 'patterns', 'v0'), { recursive: true });
    const modelPath = join(olderDir, 'patterns', 'v0', 'model.json');
    // Schema 2: one convolutional head where there is now an ensemble of them.
    await writeFile(modelPath, JSON.stringify({ ...saved, schemaVersion: 2, head: saved.head.members[0] }));
    const retrain =
      /trained by an older custom-labels-batch \(model schema 2, now 3\); train it again with `custom-labels-batch local train`/;
    await expect(loadClassifier({ modelPath })).rejects.toThrow(retrain);
    await expect(listModelVersions(olderDir)).rejects.toThrow(OutdatedModelError);
  });

  test('refuses a model trained on other features', async () => {
    const saved = JSON.parse(await readFile(trained.modelPath, 'utf8')) as ClassificationModelFile;
    const otherDir = join(workDir, 'other-embedding');
    await mkdir(otherDir);
    const modelPath = join(otherDir, 'model.json');
    await writeFile(
      modelPath,
      JSON.stringify({ ...saved, embedding: { ...saved.embedding, layer: 'block_13_expand_relu' } }),
    );
    await expect(loadClassifier({ modelPath })).rejects.toThrow(
      /Retrain it with `custom-labels-batch local train`/,
    );
  });
});

describe('another version of the same project', () => {
  test(
    'keeps the project ARN and gets a version name from the time',
    async () => {
      const smallData = join(workDir, 'small');
      for (const label of ['checks', 'stripes']) {
        await mkdir(join(smallData, label), { recursive: true });
        const files = (await readdir(join(dataDir, label)))
          .filter((name) => /\.(jpg|png)$/.test(name))
          .slice(0, 5);
        for (const file of files) await cp(join(dataDir, label, file), join(smallData, label, file));
      }
      const second = await trainModel({
        dataDir: smallData,
        project: 'patterns',
        modelsDir,
        region: REGION,
        account: ACCOUNT,
      });
      expect(second.versionName).toBe(`v${second.createdAt}`);
      expect(second.projectArn).toBe(trained.projectArn);
      expect(second.labels).toEqual(['checks', 'stripes']);
      expect((await listModelVersions(modelsDir)).map(({ versionName }) => versionName)).toEqual([
        'v1',
        second.versionName,
      ]);
      // Trains three heads of 200 steps however few the images.
    },
    TRAINING_TIMEOUT_MS,
  );

  test('refuses a version name that is taken, before any work', async () => {
    await expect(trainModel({ dataDir, project: 'patterns', version: 'v1', modelsDir })).rejects.toThrow(
      /^Project patterns already has a version v1 \(.*\)\. Choose another version name, or delete that folder\.$/,
    );
  });
});

describe('bad input', () => {
  async function dataFolder(imagesPerLabel: Record<string, number>): Promise<string> {
    const folder = await mkdtemp(join(workDir, 'bad-'));
    const image = await readFile(join(dataDir, 'dots', 'dots-001.png'));
    for (const [label, count] of Object.entries(imagesPerLabel)) {
      await mkdir(join(folder, label));
      for (let i = 0; i < count; i++) await writeFile(join(folder, label, `${i}.png`), image);
    }
    return folder;
  }

  const train = (folder: string) => trainModel({ dataDir: folder, project: 'bad', modelsDir });

  test('a single label folder', async () => {
    await expect(train(await dataFolder({ dots: 6 }))).rejects.toThrow(
      /has only one label folder \(dots\); a classifier needs at least 2\. Add one sub-folder per label/,
    );
  });

  test('no label folders at all', async () => {
    await expect(train(await dataFolder({}))).rejects.toThrow(
      /has no label folders; a classifier needs at least 2/,
    );
  });

  test('an empty label folder, and one with too few images', async () => {
    const folder = await dataFolder({ dots: 6, checks: 0, stripes: 3 });
    await expect(train(folder)).rejects.toThrow(
      `Each label needs at least 5 JPEG/PNG images; too few in ${join(folder, 'checks')} (0), ` +
        `${join(folder, 'stripes')} (3). Add images to these folders, or remove them to train without those labels.`,
    );
  });

  test('a label folder of files that are not images', async () => {
    const folder = await dataFolder({ dots: 6, checks: 0 });
    for (let i = 0; i < 6; i++)
      await writeFile(join(folder, 'checks', `${i}.jpg`), 'renamed text, not a JPEG');
    const lines: string[] = [];
    await expect(
      trainModel({ dataDir: folder, project: 'bad', modelsDir, log: (line) => lines.push(line) }),
    ).rejects.toThrow(/too few in .*checks \(0\)/);
    expect(lines).toContain(`Skipping ${join(folder, 'checks', '0.jpg')}: not a JPEG or PNG image.`);
  });

  test('a data folder that does not exist', async () => {
    await expect(train(join(workDir, 'missing'))).rejects.toThrow(
      /^Data folder .*missing does not exist or is not a folder; create it with one sub-folder per label\.$/,
    );
  });

  test('names Rekognition would reject, or that would escape the models folder', async () => {
    await expect(trainModel({ dataDir, project: 'has space', modelsDir })).rejects.toThrow(
      /^Invalid project name "has space": use 1–255 letters, digits/,
    );
    await expect(trainModel({ dataDir, project: 'ok', version: '..', modelsDir })).rejects.toThrow(
      /^Invalid version name "\.\."/,
    );
    await expect(trainModel({ dataDir, project: 'ok', account: '123', modelsDir })).rejects.toThrow(
      /12-digit AWS account id/,
    );
  });
});
