export { loadClassifier, type Classifier, type LabelConfidence } from './classifier';
export { MIN_IMAGES_PER_LABEL } from './dataset';
export type { EmbeddingSpec } from './backbone';
export type { Evaluation, LabelEvaluation } from './evaluation';
export { formatEvaluation } from './format-evaluation';
export type { ModelFile, ModelVersionRecord, TrainingSettings } from './model-file';
export { listModelVersions } from './model-versions';
export { trainModel, type TrainedModel, type TrainModelOptions } from './train-model';
