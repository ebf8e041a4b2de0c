/**
 * Where outputs go in the results bucket. Names derive from the source key alone, so a redelivery or
 * a re-run overwrites the same objects and never duplicates them.
 *
 * `by-kind`: images and documents under prefixes of their own (`processed/images/`, `processed/labels/`,
 * `failed/images/`, `failed/errors/`), so no two source keys share an output name: an image named
 * `a.png.labels.json` cannot land on the labels of `a.png`. `flat` is the layout of batches started
 * before it (`processed/<key>` and `processed/<key>.labels.json`): such a batch ends in the layout it
 * started in, so a message's outputs are never split across two layouts.
 */
export type OutputLayout = 'flat' | 'by-kind';

export interface OutputKeys {
  processedImage: string;
  labels: string;
  failedImage: string;
  failure: string;
}

/** S3 refuses longer keys (KeyTooLongError). */
const MAX_KEY_BYTES = 1024;

export function outputKeys(key: string, layout: OutputLayout = 'by-kind'): OutputKeys {
  if (layout === 'flat') {
    return {
      processedImage: `processed/${key}`,
      labels: `processed/${key}.labels.json`,
      failedImage: `failed/${key}`,
      failure: `failed/${key}.error.json`,
    };
  }
  return {
    processedImage: `processed/images/${key}`,
    labels: `processed/labels/${key}.json`,
    failedImage: `failed/images/${key}`,
    failure: `failed/errors/${key}.json`,
  };
}

/** Why this source key cannot have its outputs in the layout, or undefined when it can. */
export function outputKeyProblem(key: string, layout: OutputLayout): string | undefined {
  const { processedImage, labels, failedImage, failure } = outputKeys(key, layout);
  const longest = [processedImage, labels, failedImage, failure].reduce((a, b) =>
    utf8Bytes(a) >= utf8Bytes(b) ? a : b,
  );
  const bytes = utf8Bytes(longest);
  if (bytes <= MAX_KEY_BYTES) return undefined;
  return `the key is too long for the results bucket: its output name "${longest.slice(0, 60)}…" would be ${bytes} bytes, S3 allows ${MAX_KEY_BYTES}`;
}

/** UTF-8 length, counted by code point: the workflow sandbox has no Buffer. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
