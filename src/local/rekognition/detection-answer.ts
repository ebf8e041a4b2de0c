import type { CustomLabel } from './model-version';

/** A label as an object-detection model returns it: where in the image, as ratios of its sides. */
export interface DetectedLabel extends CustomLabel {
  Geometry: {
    BoundingBox: { Width: number; Height: number; Left: number; Top: number };
    Polygon: Array<{ X: number; Y: number }>;
  };
}

/**
 * Gives each label a box of its own (a strip of the image per label, top to bottom), so a test can
 * tell that the boxes reached the output unchanged and each with its own label.
 */
export function withBoxes(labels: CustomLabel[]): DetectedLabel[] {
  const height = 1 / Math.max(labels.length, 1);
  return labels.map((label, index) => {
    const box = { Width: 0.5, Height: height, Left: 0.25, Top: index * height };
    const right = box.Left + box.Width;
    const bottom = box.Top + box.Height;
    return {
      ...label,
      Geometry: {
        BoundingBox: box,
        Polygon: [
          { X: box.Left, Y: box.Top },
          { X: right, Y: box.Top },
          { X: right, Y: bottom },
          { X: box.Left, Y: bottom },
        ],
      },
    };
  });
}
