import { HEAD_STEPS, predictProbabilities, trainConvHead, type ConvHead, type MapExample } from './conv-head';

/**
 * Convolutional heads trained on the same examples from different seeds, answering together. With ~30
 * images a label one head's answer depends on its starting weights (held-out accuracy ranged 0.75–1.00 over
 * split seeds); averaging a few cancels much of that, for a few milliseconds per member at inference.
 */
export interface HeadEnsemble {
  members: ConvHead[];
}

const MEMBERS = 3;

export function trainHeadEnsemble(
  examples: readonly MapExample[],
  grid: number,
  labelCount: number,
  seed: number,
): HeadEnsemble {
  return {
    members: Array.from({ length: MEMBERS }, (_, member) =>
      trainConvHead(examples, grid, labelCount, memberSeed(seed, member)),
    ),
  };
}

/** Optimizer steps it took to train the ensemble. */
export function trainingSteps(ensemble: HeadEnsemble): number {
  return ensemble.members.length * HEAD_STEPS;
}

/** Probability of each label, the members' answers averaged over the maps given (views of one image). */
export function ensembleProbabilities(ensemble: HeadEnsemble, maps: readonly Float32Array[]): number[] {
  const answers = ensemble.members.map((head) => predictProbabilities(head, maps));
  return answers[0].map(
    (_, label) => answers.reduce((sum, answer) => sum + answer[label], 0) / answers.length,
  );
}

/** Far enough apart that no two members of any version share the per-layer seeds `trainConvHead` derives. */
function memberSeed(seed: number, member: number): number {
  return seed + 1000 * member;
}
