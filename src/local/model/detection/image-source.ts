import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { UserError } from '../../../config/user-error';

/** Reads a manifest's `source-ref`: s3://bucket/key through S3, anything else as a path from the manifest's folder. */
export function imageSource(
  baseDir: string,
  s3Endpoint?: string,
): {
  read(sourceRef: string): Promise<Buffer>;
  close(): void;
} {
  let s3: S3Client | undefined;
  return {
    async read(sourceRef) {
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(sourceRef);
      if (!match) {
        const file = path.resolve(baseDir, sourceRef);
        return readFile(file).catch(() => {
          throw new UserError(`Image ${file} (source-ref ${sourceRef}) cannot be read.`);
        });
      }
      // Path-style, as moto and other S3 stand-ins need when an endpoint is given.
      s3 ??= new S3Client({
        endpoint: s3Endpoint,
        forcePathStyle: s3Endpoint !== undefined,
        region: process.env.AWS_REGION ?? 'us-east-1',
      });
      try {
        const { Body } = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
        return Buffer.from((await Body?.transformToByteArray()) ?? []);
      } catch (error) {
        throw new UserError(`Image ${sourceRef} cannot be read from S3 (${(error as Error).name}).`);
      }
    },
    close() {
      s3?.destroy();
    },
  };
}
