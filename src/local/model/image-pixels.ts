import sharp from 'sharp';

/**
 * Decodes a JPEG or PNG into `size` × `size` RGB bytes, row-major: upright per its EXIF orientation,
 * transparency flattened onto white, grey or CMYK converted to sRGB, and stretched rather than cropped
 * so nothing near the edges is lost.
 */
export async function decodeToSquareRgb(image: Buffer, size: number): Promise<Uint8Array> {
  const { data, info } = await sharp(image)
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) {
    throw new Error(`Expected 3 colour channels after decoding, got ${info.channels}.`);
  }
  return data;
}
