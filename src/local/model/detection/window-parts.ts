import type { CellRect } from './grid-windows';

/**
 * What a window's features are made of: the mean feature over the window, over each of its four quadrants
 * (where in the window things are, which tells a tight box from one that cuts or overhangs the object),
 * and over the ring of cells just outside it (an object that goes on past the window shows there).
 */
export const PART_COUNT = 6;

/** Sums of every cell feature over any rectangle in O(channels), from a summed-area table. */
export class SummedAreaTable {
  private readonly table: Float64Array;

  constructor(
    map: Float32Array,
    readonly grid: number,
    readonly channels: number,
  ) {
    const stride = grid + 1;
    this.table = new Float64Array(stride * stride * channels);
    for (let y = 1; y <= grid; y++) {
      for (let x = 1; x <= grid; x++) {
        const cell = ((y - 1) * grid + (x - 1)) * channels;
        const here = (y * stride + x) * channels;
        const up = ((y - 1) * stride + x) * channels;
        const left = (y * stride + x - 1) * channels;
        const diagonal = ((y - 1) * stride + x - 1) * channels;
        for (let c = 0; c < channels; c++) {
          this.table[here + c] =
            map[cell + c] + this.table[up + c] + this.table[left + c] - this.table[diagonal + c];
        }
      }
    }
  }

  /** Adds `factor` × the sum over `rect` of channels [from, from + count) to `out` at `offset`. */
  addSum(
    rect: CellRect,
    factor: number,
    out: Float32Array | Float64Array,
    offset: number,
    from = 0,
    count = this.channels,
  ): void {
    const stride = this.grid + 1;
    const a = (rect.y1 * stride + rect.x1) * this.channels + from;
    const b = (rect.y0 * stride + rect.x1) * this.channels + from;
    const c = (rect.y1 * stride + rect.x0) * this.channels + from;
    const d = (rect.y0 * stride + rect.x0) * this.channels + from;
    for (let i = 0; i < count; i++) {
      out[offset + i] +=
        factor * (this.table[a + i] - this.table[b + i] - this.table[c + i] + this.table[d + i]);
    }
  }
}

/** Each part as rectangles to add and subtract, with its area in cells (0 for an empty ring). */
export function windowParts(
  window: CellRect,
  grid: number,
): Array<{ add: CellRect; subtract?: CellRect; area: number }> {
  const { x0, y0, x1, y1 } = window;
  const xm = x0 + Math.floor((x1 - x0) / 2);
  const ym = y0 + Math.floor((y1 - y0) / 2);
  const outer = {
    x0: Math.max(0, x0 - 1),
    y0: Math.max(0, y0 - 1),
    x1: Math.min(grid, x1 + 1),
    y1: Math.min(grid, y1 + 1),
  };
  const area = (r: CellRect) => (r.x1 - r.x0) * (r.y1 - r.y0);
  const quadrants = [
    { x0, y0, x1: xm, y1: ym },
    { x0: xm, y0, x1, y1: ym },
    { x0, y0: ym, x1: xm, y1 },
    { x0: xm, y0: ym, x1, y1 },
  ];
  return [
    { add: window, area: area(window) },
    ...quadrants.map((quadrant) => ({ add: quadrant, area: area(quadrant) })),
    { add: outer, subtract: window, area: area(outer) - area(window) },
  ];
}

/** The window's PART_COUNT × channels features: each part's mean cell feature, 0 for an empty part. */
export function windowFeatures(table: SummedAreaTable, window: CellRect): Float32Array {
  const features = new Float32Array(PART_COUNT * table.channels);
  windowParts(window, table.grid).forEach(({ add, subtract, area }, part) => {
    if (area === 0) return;
    const offset = part * table.channels;
    table.addSum(add, 1 / area, features, offset);
    if (subtract) table.addSum(subtract, -1 / area, features, offset);
  });
  return features;
}
