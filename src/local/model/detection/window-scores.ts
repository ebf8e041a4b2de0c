import type { LinearHead } from '../linear-head';
import type { CellRect } from './grid-windows';
import { PART_COUNT, SummedAreaTable, windowParts } from './window-parts';

/**
 * The head's logits for every window: the same numbers as the head applied to each window's features, but
 * without building them. The head is linear and the features are means, so each cell is projected onto the
 * head's weights once, and a window sums projections: outputs × PART_COUNT numbers per cell, not 3,456.
 */
export function windowLogits(
  map: Float32Array,
  grid: number,
  channels: number,
  head: LinearHead,
  windows: readonly CellRect[],
): Float64Array[] {
  const outputs = head.biases.length;
  const width = outputs * PART_COUNT;
  // Laid out part-major, so one part's projections onto every output are contiguous.
  const projected = new Float32Array(grid * grid * width);
  for (let cell = 0; cell < grid * grid; cell++) {
    const features = map.subarray(cell * channels, (cell + 1) * channels);
    for (let part = 0; part < PART_COUNT; part++) {
      for (let k = 0; k < outputs; k++) {
        const row = head.weights[k];
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += features[c] * row[part * channels + c];
        projected[cell * width + part * outputs + k] = sum;
      }
    }
  }
  const table = new SummedAreaTable(projected, grid, width);
  return windows.map((window) => {
    const logits = Float64Array.from(head.biases);
    windowParts(window, grid).forEach(({ add, subtract, area }, part) => {
      if (area === 0) return;
      table.addSum(add, 1 / area, logits, 0, part * outputs, outputs);
      if (subtract) table.addSum(subtract, -1 / area, logits, 0, part * outputs, outputs);
    });
    return logits;
  });
}
