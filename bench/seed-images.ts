import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ActivityDeps } from '../src/activities';
import { createQueueActivities } from '../src/activities/queue';
import { sampleImages } from './sample-images';

/**
 * Uploads `count` images (the sample images, cycled) into the source bucket, so that S3 notifies the
 * queue once per image as in production, and waits until every event is queued.
 */
export async function seedImages(
  clients: ActivityDeps,
  target: { bucket: string; queueUrl: string },
  count: number,
  concurrency = 16,
): Promise<void> {
  const images = sampleImages();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const image = images[index % images.length];
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: `images/${String(index).padStart(6, '0')}.${image.extension}`,
            Body: image.body,
          }),
        );
      }
    }),
  );
  const queue = createQueueActivities(clients);
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await queue.countQueuedMessages(target.queueUrl)).total >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`only part of ${count} S3 events reached ${target.queueUrl} within a minute`);
}
