import sharp from 'sharp';

/** Where the pipeline must put a file: judged by its content, never by its name. */
export type ExpectedOutcome =
  | { kind: 'processed' }
  | { kind: 'failed'; reason: string }
  /** Never processed: its message goes to the dead-letter queue with this reason, the object stays put. */
  | { kind: 'dead-letter queue'; reason: RegExp };

export interface BatchFile {
  key: string;
  body: Buffer;
  expected: ExpectedOutcome;
}

const TEXT_FILES_NAMED_JPG = 3;
const TOO_SMALL_PNGS = 2;
const TOO_SMALL_SIDE_PX = 32;

/**
 * `count` files under `prefix`: distinct small PNGs (64–96 px, each its own colour and size, a few
 * with keys that need URL decoding, a few PNGs named .jpg) and some the model must reject: text files
 * named .jpg and 32 px PNGs.
 */
export async function makeBatchFiles(prefix: string, count: number): Promise<BatchFile[]> {
  const files: BatchFile[] = [];
  for (let i = 0; i < TEXT_FILES_NAMED_JPG; i += 1) {
    files.push({
      key: `${prefix}/notes-${i}.jpg`,
      body: Buffer.from(`meeting notes ${i}: not an image at all\n`),
      expected: { kind: 'failed', reason: 'InvalidImageFormatException' },
    });
  }
  for (let i = 0; i < TOO_SMALL_PNGS; i += 1) {
    files.push({
      key: `${prefix}/thumbnail-${i}.png`,
      body: await png(TOO_SMALL_SIDE_PX, TOO_SMALL_SIDE_PX, i),
      expected: { kind: 'failed', reason: 'InvalidParameterException' },
    });
  }
  for (let i = 0; files.length < count; i += 1) {
    files.push({
      key: `${prefix}/${goodImageName(i)}`,
      body: await png(64 + ((i * 7) % 33), 64 + ((i * 13) % 33), i),
      expected: { kind: 'processed' },
    });
  }
  return files;
}

/** Mostly plain names; some with spaces, '+', non-ASCII or a misleading extension. */
function goodImageName(i: number): string {
  const number = String(i).padStart(4, '0');
  if (i % 37 === 5) return `holiday photos/beach + sun ${number}.png`;
  if (i % 37 === 11) return `ünïcödé/çà-${number}.png`;
  if (i % 11 === 3) return `named-jpg-${number}.jpg`;
  return `img-${number}.png`;
}

function png(width: number, height: number, seed: number): Promise<Buffer> {
  const background = { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 193 + 17) % 256 };
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}
