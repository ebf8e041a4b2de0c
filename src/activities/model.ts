import {
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-rekognition';
import { ApplicationFailure } from '@temporalio/common';
import { asActivityFailure, awsCall, awsErrorName } from './aws-errors';
import type { ActivityDeps } from './deps';
import { MODEL_VERSION_ARN_FORM, parseModelVersionArn } from '../model-version-arn';

export interface ModelState {
  status: string;
  statusMessage?: string;
}

/**
 * The tag a batch puts on the model version before it starts it and removes once it has stopped it: a
 * model found up with it was left by a batch of this project (terminated, or its stop failed), one
 * found up without it was started by someone else.
 */
export const STARTED_BY_TAG = 'custom-labels-batch:started-by';
/** What a tag value may hold (TagResource): a workflow id outside it is shortened to what fits. */
const TAG_VALUE_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;
const MAX_TAG_VALUE_LENGTH = 256;

function modelNotFound(projectVersionArn: string, why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Model version ${projectVersionArn} was not found (${why}): check PROJECT_VERSION_ARN and the region.`,
    'ModelNotFound',
  );
}

export function createModelActivities({ rekognition }: ActivityDeps) {
  const projectArns = new Map<string, string>();

  /** A version ARN does not carry its project's ARN (that ends in the project's creation time): look it up once. */
  async function projectArnOf(projectName: string, projectVersionArn: string): Promise<string> {
    const known = projectArns.get(projectName);
    if (known) return known;
    const { ProjectDescriptions: projects = [] } = await awsCall(`DescribeProjects for ${projectName}`, () =>
      rekognition.send(new DescribeProjectsCommand({ ProjectNames: [projectName] })),
    );
    const projectArn = projects.find((p) => p.ProjectArn?.split('/')[1] === projectName)?.ProjectArn;
    if (!projectArn) throw modelNotFound(projectVersionArn, `project ${projectName} does not exist`);
    projectArns.set(projectName, projectArn);
    return projectArn;
  }

  async function describeModel(projectVersionArn: string): Promise<ModelState> {
    const names = parseModelVersionArn(projectVersionArn);
    if (!names) {
      throw ApplicationFailure.nonRetryable(
        `PROJECT_VERSION_ARN ${JSON.stringify(projectVersionArn)} is not a model version ARN (${MODEL_VERSION_ARN_FORM}).`,
        'InvalidConfiguration',
      );
    }
    const { projectName, versionName } = names;
    const projectArn = await projectArnOf(projectName, projectVersionArn);
    const { ProjectVersionDescriptions: versions = [] } = await awsCall(
      `DescribeProjectVersions for ${projectVersionArn}`,
      () =>
        rekognition.send(
          new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: [versionName] }),
        ),
    );
    const version = versions.find((v) => v.ProjectVersionArn === projectVersionArn);
    if (!version?.Status)
      throw modelNotFound(projectVersionArn, `project ${projectName} has no such version`);
    return { status: version.Status, statusMessage: version.StatusMessage };
  }

  /** Tag calls fail for one reason a user must fix: the worker's role lacks the action. */
  async function tagCall<T>(action: string, projectVersionArn: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (awsErrorName(error) !== 'AccessDeniedException')
        throw asActivityFailure(`${action} for ${projectVersionArn}`, error);
      throw ApplicationFailure.nonRetryable(
        `rekognition:${action} on ${projectVersionArn} was denied: the worker's role needs it to know which models this project started (iam/worker-policy.json).`,
        'AccessDenied',
      );
    }
  }

  return {
    describeModel,

    /** Marks the model as started by this batch: done before the start request, so no start goes unmarked. */
    markModelStartedBy(request: { projectVersionArn: string; batchId: string }): Promise<void> {
      const value = [...request.batchId]
        .filter((character) => TAG_VALUE_CHARACTER.test(character))
        .join('')
        .slice(-MAX_TAG_VALUE_LENGTH);
      return tagCall('TagResource', request.projectVersionArn, async () => {
        await rekognition.send(
          new TagResourceCommand({
            ResourceArn: request.projectVersionArn,
            Tags: { [STARTED_BY_TAG]: value },
          }),
        );
      });
    },

    /** The batch that started the model, when a batch of this project did and has not stopped it since. */
    modelStartedBy(projectVersionArn: string): Promise<{ batchId?: string }> {
      return tagCall('ListTagsForResource', projectVersionArn, async () => {
        const { Tags = {} } = await rekognition.send(
          new ListTagsForResourceCommand({ ResourceArn: projectVersionArn }),
        );
        return { batchId: Tags[STARTED_BY_TAG] };
      });
    },

    /** Removes the mark once the model is stopped: whoever starts it next owns it. */
    clearModelStartedBy(projectVersionArn: string): Promise<void> {
      return tagCall('UntagResource', projectVersionArn, async () => {
        await rekognition.send(
          new UntagResourceCommand({ ResourceArn: projectVersionArn, TagKeys: [STARTED_BY_TAG] }),
        );
      });
    },

    /** A model already starting or running is not an error: another caller got there first. */
    async startModel(request: {
      projectVersionArn: string;
      minInferenceUnits: number;
      maxInferenceUnits?: number;
    }): Promise<ModelState> {
      try {
        const { Status } = await rekognition.send(
          new StartProjectVersionCommand({
            ProjectVersionArn: request.projectVersionArn,
            MinInferenceUnits: request.minInferenceUnits,
            MaxInferenceUnits: request.maxInferenceUnits,
          }),
        );
        return { status: Status ?? 'STARTING' };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceInUseException') return describeModel(request.projectVersionArn);
        throw asActivityFailure(`StartProjectVersion for ${request.projectVersionArn}`, error);
      }
    },

    /** Stopping a model that is already stopping or stopped is not an error. */
    async stopModel(projectVersionArn: string): Promise<ModelState> {
      try {
        const { Status } = await rekognition.send(
          new StopProjectVersionCommand({ ProjectVersionArn: projectVersionArn }),
        );
        return { status: Status ?? 'STOPPING' };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceInUseException') return describeModel(projectVersionArn);
        throw asActivityFailure(`StopProjectVersion for ${projectVersionArn}`, error);
      }
    },
  };
}
