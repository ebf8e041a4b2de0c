/** A box as Rekognition gives it: ratios of the image's width and height, from its top-left corner. */
export interface BoundingBox {
  Width: number;
  Height: number;
  Left: number;
  Top: number;
}

export function intersectionOverUnion(a: BoundingBox, b: BoundingBox): number {
  const width = Math.min(a.Left + a.Width, b.Left + b.Width) - Math.max(a.Left, b.Left);
  const height = Math.min(a.Top + a.Height, b.Top + b.Height) - Math.max(a.Top, b.Top);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  return intersection / (a.Width * a.Height + b.Width * b.Height - intersection);
}
