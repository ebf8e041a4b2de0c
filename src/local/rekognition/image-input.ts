import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { detectImageFormat } from '../model/image-format';
import { invalidParameter, RekognitionError } from './errors';

const MAX_BYTES_IMAGE = 4 * 1024 * 1024;
const MAX_S3_IMAGE = 15 * 1024 * 1024;
const MIN_SIDE_PX = 64;
const MAX_SIDE_PX = 4096;

/** Reads `Image` from a DetectCustomLabels request: inline bytes or an S3 object. */
export async function readImage(image: unknown, s3: S3Client, signal: AbortSignal): Promise<Buffer> {
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
  return readS3Image(s3Object, s3, signal);
}

async function readS3Image(s3Object: unknown, s3: S3Client, signal: AbortSignal): Promise<Buffer> {
  const { Bucket: bucket, Name: key, Version: version } = (s3Object ?? {}) as Record<string, unknown>;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    throw invalidParameter('Image.S3Object needs Bucket and Name as non-empty strings.');
  }
  if (version !== undefined && typeof version !== 'string') {
    throw invalidParameter('Image.S3Object.Version must be a string.');
  }
  const where = `s3://${bucket}/${key}${version ? ` (version ${version})` : ''}`;
  let response;
  try {
    response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }), {
      abortSignal: signal,
    });
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      throw new RekognitionError(
        'InvalidS3ObjectException',
        `Unable to get object ${where} from S3 (${(error as Error).name}). Check the bucket, key, region and access permissions.`,
      );
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
