import type { BoundingBox } from './boxes';

/** A rectangle of feature-map cells, `[x0, x1)` × `[y0, y1)`. */
export interface CellRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Longer side over shorter side of the windows tried; the shapes and most objects stay within it. */
const MAX_ASPECT = 2.5;
/** A one-cell window is too coarse a box (1/14 of the image) and too little context to classify. */
const MIN_CELLS = 2;

/** Every window of the grid at least MIN_CELLS on a side and within MAX_ASPECT: ~4,000 on a 14 × 14 grid. */
export function candidateWindows(grid: number): CellRect[] {
  const windows: CellRect[] = [];
  for (let height = MIN_CELLS; height <= grid; height++) {
    for (let width = MIN_CELLS; width <= grid; width++) {
      if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT) continue;
      for (let y0 = 0; y0 + height <= grid; y0++) {
        for (let x0 = 0; x0 + width <= grid; x0++) windows.push({ x0, y0, x1: x0 + width, y1: y0 + height });
      }
    }
  }
  return windows;
}

export function cellRectToBox({ x0, y0, x1, y1 }: CellRect, grid: number): BoundingBox {
  return { Left: x0 / grid, Top: y0 / grid, Width: (x1 - x0) / grid, Height: (y1 - y0) / grid };
}
