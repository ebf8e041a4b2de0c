import {
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
} from '@aws-sdk/client-rekognition';
import { ApplicationFailure } from '@temporalio/common';
import { asActivityFailure, awsCall, awsErrorName } from './aws-errors';
import type { ActivityDeps } from './deps';
import { MODEL_VERSION_ARN_FORM, parseModelVersionArn } from '../model-version-arn';

export interface ModelState {
  status: string;
  statusMessage?: string;
}

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

  return {
    describeModel,

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
