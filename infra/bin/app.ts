import { App } from 'aws-cdk-lib';
import { PipelineStack } from '../src/pipeline-stack';
import { settingsFromContext } from '../src/settings';

const app = new App();
new PipelineStack(
  app,
  'CustomLabelsBatch',
  settingsFromContext((key): unknown => app.node.tryGetContext(key)),
);
