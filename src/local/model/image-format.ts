export type ImageFormat = 'jpeg' | 'png';

const SIGNATURES: ReadonlyArray<{ format: ImageFormat; magic: Buffer }> = [
  { format: 'jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { format: 'png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
];

/** Judges by content, not by file name: the formats Rekognition Custom Labels accepts, or undefined. */
export function detectImageFormat(bytes: Buffer): ImageFormat | undefined {
  return SIGNATURES.find(({ magic }) => bytes.subarray(0, magic.length).equals(magic))?.format;
}
