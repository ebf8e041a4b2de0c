import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PipelineStack } from '../src/pipeline-stack';
import { settingsFromContext } from '../src/settings';

/** The stack's template as `cdk synth -c key=value …` would write it. */
export function synthesize(context: Record<string, string> = {}): Template {
  const app = new App({ context });
  const stack = new PipelineStack(
    app,
    'Test',
    settingsFromContext((key): unknown => app.node.tryGetContext(key)),
  );
  return Template.fromStack(stack);
}

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
}

/** One resource of the template by its logical id, as the template has it. */
export function resource(template: Template, id: string): TemplateResource {
  return (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources[id];
}

/** The one resource of `type` whose properties match `predicate`: its logical id. */
export function logicalId(
  template: Template,
  type: string,
  predicate: (properties: Record<string, unknown>) => boolean = () => true,
): string {
  const ids = Object.entries(template.findResources(type))
    .filter(([, resource]) =>
      predicate((resource as { Properties?: Record<string, unknown> }).Properties ?? {}),
    )
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}

export const WORKER_CONTEXT = {
  worker: 'true',
  workerImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/custom-labels-batch:1.2.3',
  temporalSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:temporal-AbCdEf',
};
