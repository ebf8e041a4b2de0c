import type { Config } from './config/config';
import { parseModelVersionArn } from './model-version-arn';
import { SEARCH_ATTRIBUTES } from './workflows/search-attribute-keys';

/**
 * What the Web UI shows of a batch before it has done anything: the static summary (one line in the
 * list) and details (the batch's page) say which model and queue; the search attributes, set as the
 * batch goes, say what it did.
 */
export function batchStartMetadata(config: Config) {
  const names = parseModelVersionArn(config.projectVersionArn);
  const model = names ? `${names.projectName}/${names.versionName}` : config.projectVersionArn;
  const queue = config.queueUrl.split('/').at(-1) ?? config.queueUrl;
  return {
    staticSummary: `Custom Labels batch: model ${model}, queue ${queue}`,
    staticDetails: [
      `**Model version**: \`${config.projectVersionArn}\` (${config.minInferenceUnits} inference unit(s) minimum)`,
      `**Queue**: \`${config.queueUrl}\``,
      `**Buckets**: \`${config.sourceBucket}\` → \`${config.resultsBucket}\``,
      `**Concurrency**: ${config.concurrency} messages; results and counts: the search attributes \`CustomLabels…\`.`,
    ].join('\n\n'),
    typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.modelVersion, value: config.projectVersionArn }],
  };
}
