import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { UserError } from '../../config/user-error';

/** Every file below `dir` (any name, nested folders), as paths relative to it with '/' separators. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => {
    throw new UserError(
      `--images ${dir} is not a readable folder: give a folder of images (nested folders are fine).`,
    );
  });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Uploads every file as is: the pipeline, not the uploader, decides what is an image. */
export async function uploadFolder(
  s3: S3Client,
  bucket: string,
  dir: string,
  concurrency = 8,
): Promise<string[]> {
  const keys = await filesBelow(dir);
  if (keys.length === 0)
    throw new UserError(`--images ${dir} holds no files: put the images to label there.`);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(join(dir, key)) }),
        );
      }
    }),
  );
  return keys;
}

/** Copies the whole bucket into `outDir`, keeping its key layout (keys that would escape it are left out). */
export async function downloadBucket(s3: S3Client, bucket: string, outDir: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
  }
  const safe = keys.filter(
    (key) => !key.split('/').some((part) => part === '..' || part === '' || part === '.'),
  );
  for (const key of safe) {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const target = join(outDir, ...key.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await Body!.transformToByteArray());
  }
  return safe.sort();
}
