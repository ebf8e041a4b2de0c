import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { detectImageFormat } from '../model/image-format';
import { invalidParameter, RekognitionError } from './errors';

const MAX_BYTES_IMAGE = 4 * 1024 * 1024;
const MAX_S3_IMAGE = 15 * 1024 * 1024;
const MIN_SIDE_PX = 64;
const MAX_SIDE_PX = 4096;

/** Where S3 images come from; `readDenied` shuts the model out of some, as a bucket policy can. */
export interface ImageStore {
  s3: S3Client;
  readDenied(bucket: string, key: string): boolean;
}

/** Reads `Image` from a DetectCustomLabels request: inline bytes or an S3 object. */
export async function readImage(image: unknown, store: ImageStore, signal: AbortSignal): Promise<Buffer> {
  if (typeof image !== 'object' || image === null) {
    throw invalidParameter('Image is required: give Image.Bytes or Image.S3Object {Bucket, Name}.');
  }
  const { Bytes: bytes, S3Object: s3Object } = image as { Bytes?: unknown; S3Object?: unknown };
  if ((bytes === undefined) === (s3Object === undefined)) {
    throw invalidParameter('Image needs exactly one of Image.Bytes or Image.S3Object.');
  }
  if (bytes !== undefined) {
    if (typeof bytes !== 'string') throw invalidParameter('Image.Bytes must be base64-encoded bytes.');
    const buffer = Buffer.from(bytes, 'base64');
    if (buffer.length > MAX_BYTES_IMAGE) {
      throw new RekognitionError(
        'ImageTooLargeException',
        `Image.Bytes is ${buffer.length} bytes; the limit for inline images is ${MAX_BYTES_IMAGE} bytes (4 MB). Pass larger images as Image.S3Object (up to 15 MB).`,
      );
    }
    return buffer;
  }
  return readS3Image(s3Object, store, signal);
}

async function readS3Image(s3Object: unknown, store: ImageStore, signal: AbortSignal): Promise<Buffer> {
  const { Bucket: bucket, Name: key, Version: version } = (s3Object ?? {}) as Record<string, unknown>;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    throw invalidParameter('Image.S3Object needs Bucket and Name as non-empty strings.');
  }
  if (version !== undefined && typeof version !== 'string') {
    throw invalidParameter('Image.S3Object.Version must be a string.');
  }
  const where = `s3://${bucket}/${key}${version ? ` (version ${version})` : ''}`;
  if (store.readDenied(bucket, key)) throw unreadableObject(where, 'AccessDenied');
  let response;
  try {
    response = await store.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }), {
      abortSignal: signal,
    });
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      throw unreadableObject(where, (error as Error).name);
    }
    throw error;
  }
  if ((response.ContentLength ?? 0) > MAX_S3_IMAGE) {
    response.Body?.transformToWebStream()
      .cancel()
      .catch(() => undefined);
    throw new RekognitionError(
      'ImageTooLargeException',
      `${where} is ${response.ContentLength} bytes; Custom Labels accepts S3 images up to ${MAX_S3_IMAGE} bytes (15 MB).`,
    );
  }
  return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
}

/** The service says the same whether the object is missing or denied to it: only S3 can tell which. */
function unreadableObject(where: string, cause: string): RekognitionError {
  return new RekognitionError(
    'InvalidS3ObjectException',
    `Unable to get object ${where} from S3 (${cause}). Check the bucket, key, region and access permissions.`,
  );
}

/** Checks the image the way the service does: by content, not by name, then by its dimensions. */
export async function validateImage(image: Buffer): Promise<void> {
  if (!detectImageFormat(image)) {
    throw new RekognitionError(
      'InvalidImageFormatException',
      'Request has invalid image format: the content is neither JPEG nor PNG (judged by its bytes, not its name).',
    );
  }
  const { width = 0, height = 0 } = await sharp(image)
    .metadata()
    .catch((error: Error) => {
      throw undecodable(error);
    });
  const sides = `${width}×${height} px`;
  if (width > MAX_SIDE_PX || height > MAX_SIDE_PX) {
    throw new RekognitionError(
      'ImageTooLargeException',
      `Image is ${sides}; Custom Labels accepts at most ${MAX_SIDE_PX} px per side. Resize it.`,
    );
  }
  if (width < MIN_SIDE_PX || height < MIN_SIDE_PX) {
    throw invalidParameter(`Image is ${sides}; Custom Labels needs at least ${MIN_SIDE_PX} px per side.`);
  }
  // A full decode catches truncated or corrupt files that the header alone lets through.
  await sharp(image, { failOn: 'error' })
    .raw()
    .toBuffer()
    .catch((error: Error) => {
      throw undecodable(error);
    });
}

function undecodable(error: Error): RekognitionError {
  return new RekognitionError(
    'InvalidImageFormatException',
    `Request has invalid image format: the image cannot be decoded (${error.message.trim()}).`,
  );
}
