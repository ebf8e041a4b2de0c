import { RekognitionError } from './errors';
import type { ModelVersionRecord } from '../model';
import { ModelVersion, type LifecycleSettings } from './model-version';

/** The versions the server serves; rereads the models folder when asked for one it does not know yet. */
export class VersionRegistry {
  private readonly versions = new Map<string, ModelVersion>();

  constructor(
    private readonly listRecords: () => Promise<ModelVersionRecord[]>,
    private readonly settings: LifecycleSettings,
  ) {}

  async find(projectVersionArn: string): Promise<ModelVersion> {
    const version = this.versions.get(projectVersionArn) ?? (await this.refresh()).get(projectVersionArn);
    if (!version) {
      throw new RekognitionError(
        'ResourceNotFoundException',
        `No model version ${projectVersionArn}. Train one with \`custom-labels-batch local train\` into the server's models folder, or check the ARN.`,
      );
    }
    return this.withStatusFrom(version);
  }

  /** The project's versions, newest first, as the service lists them. */
  async inProject(projectArn: string): Promise<ModelVersion[]> {
    const inProject = [...(await this.refresh()).values()].filter((v) => v.record.projectArn === projectArn);
    if (inProject.length === 0) {
      throw new RekognitionError('ResourceNotFoundException', `No project ${projectArn}.`);
    }
    return inProject
      .map((version) => this.withStatusFrom(version))
      .sort((a, b) => b.record.createdAt - a.record.createdAt);
  }

  /** Every project with at least one version, oldest first. */
  async projects(): Promise<Array<{ name: string; projectArn: string; createdAt: number }>> {
    const byArn = new Map<string, { name: string; projectArn: string; createdAt: number }>();
    for (const { record } of (await this.refresh()).values()) {
      const known = byArn.get(record.projectArn);
      if (!known || record.createdAt < known.createdAt) {
        byArn.set(record.projectArn, {
          name: record.projectArn.split('/')[1],
          projectArn: record.projectArn,
          createdAt: record.createdAt,
        });
      }
    }
    return [...byArn.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  all(): ModelVersion[] {
    return [...this.versions.values()];
  }

  dispose(): void {
    for (const version of this.versions.values()) version.dispose();
  }

  /** Applies a status a test injected for the version since it was last looked at. */
  private withStatusFrom(version: ModelVersion): ModelVersion {
    const change = this.settings.faults.takeStatusChange(version.record.projectVersionArn);
    if (change) version.putInStatus(change.status, change.settlesAfterMs);
    return version;
  }

  private async refresh(): Promise<Map<string, ModelVersion>> {
    for (const record of await this.listRecords()) {
      if (!this.versions.has(record.projectVersionArn)) {
        this.versions.set(record.projectVersionArn, new ModelVersion(record, this.settings));
      }
    }
    return this.versions;
  }
}
