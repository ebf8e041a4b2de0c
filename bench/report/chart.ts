import sharp from 'sharp';
import type { BatchRecord } from '../pipeline-scenario';
import type { BenchResults } from '../results';
import { ACTIONS_PER_IMAGE_GOAL, CAPACITY_GOAL, CAPACITY_GOAL_TPS, thousandImageBatches } from './goals';
import { OVERHEAD_GOAL } from '../scenarios/overhead';

/** A labelled bar group on one panel. */
interface BarGroup {
  label: string;
  /** Stacked from the bottom, each with its colour. */
  segments: Array<{ value: number; colour: string }>;
  /** Drawn beside the stack (e.g. a baseline) as an outlined bar. */
  outline?: number;
  /** Lines under the label. */
  caption: string[];
}

const WIDTH = 460;
const HEIGHT = 340;
const MARGIN = { top: 50, right: 20, bottom: 60, left: 55 };
const COLOURS = { measured: '#2f6db5', busy: '#2e8b57', idle: '#d9534f', baseline: '#555' };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value || 1));
  return Math.ceil(value / magnitude) * magnitude;
}

/** One panel (title, y axis with ticks, bars) as SVG, its top left corner at (`left`, `top`). */
function panel(
  [left, top]: Position,
  title: string,
  unit: string,
  groups: BarGroup[],
  legend: string,
): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const highest = Math.max(
    ...groups.map((g) =>
      Math.max(
        g.outline ?? 0,
        g.segments.reduce((s, x) => s + x.value, 0),
      ),
    ),
  );
  const max = niceMax(highest * 1.1);
  const y = (value: number) => MARGIN.top + plotHeight - (value / max) * plotHeight;
  const slot = plotWidth / groups.length;
  const barWidth = Math.min(50, slot / 3);
  const parts: string[] = [
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${WIDTH / 2}" y="40" text-anchor="middle" font-size="11" fill="#444">${escape(legend)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${y(0)}" stroke="#000"/>`,
    `<line x1="${MARGIN.left}" y1="${y(0)}" x2="${WIDTH - MARGIN.right}" y2="${y(0)}" stroke="#000"/>`,
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(unit)}</text>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max / 4) * tick;
    parts.push(
      `<line x1="${MARGIN.left - 4}" y1="${y(value)}" x2="${WIDTH - MARGIN.right}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${Number(value.toPrecision(3))}</text>`,
    );
  }
  groups.forEach((group, index) => {
    const centre = MARGIN.left + slot * (index + 0.5);
    const stackX = group.outline === undefined ? centre - barWidth / 2 : centre + 2;
    let base = 0;
    for (const segment of group.segments) {
      parts.push(
        `<rect x="${stackX}" y="${y(base + segment.value)}" width="${barWidth}" height="${y(base) - y(base + segment.value)}" fill="${segment.colour}"/>`,
      );
      base += segment.value;
    }
    if (group.outline !== undefined) {
      parts.push(
        `<rect x="${centre - 2 - barWidth}" y="${y(group.outline)}" width="${barWidth}" height="${y(0) - y(group.outline)}" fill="none" stroke="${COLOURS.baseline}" stroke-width="2" stroke-dasharray="4 2"/>`,
      );
    }
    parts.push(
      `<text x="${centre}" y="${y(0) + 16}" text-anchor="middle" font-size="12">${escape(group.label)}</text>`,
      ...group.caption.map(
        (line, i) =>
          `<text x="${centre}" y="${y(0) + 31 + 14 * i}" text-anchor="middle" font-size="11" fill="#333">${escape(line)}</text>`,
      ),
    );
  });
  return `<g transform="translate(${left} ${top})" font-family="DejaVu Sans, sans-serif">${parts.join('')}</g>`;
}

type Position = [left: number, top: number];
/** A panel drawn wherever the chart's grid puts it. */
type PlacedPanel = (at: Position) => string;

/** A 1,000-image batch by its model: `10 TPS`, or `instant` for the overhead batches' uncapped one. */
const shortName = (batch: BatchRecord) =>
  /^capacity-(\d+)-/.exec(batch.name)?.[1]?.concat(' TPS') ?? 'instant';

/** Short names of the two LOCAL_AWS_CALLS paths, for captions. */
const path = (batch: BatchRecord) => (batch.localAwsCalls ? 'local' : 'activities');

function capacityPanels(results: BenchResults): PlacedPanel[] {
  const capacity = results.capacity ?? [];
  if (capacity.length === 0) return [];
  const throughput = (at: Position) =>
    panel(
      at,
      'Throughput against capacity',
      'images/s',
      capacity.map((figure) => ({
        label: `${figure.capacity} TPS`,
        segments: [{ value: figure.batch.metrics.imagesPerSecond, colour: COLOURS.measured }],
        outline: figure.capacity,
        caption: [figure.ratio.toFixed(2), path(figure.batch)],
      })),
      'dashed: model capacity · blue: pipeline images/s',
    );
  const billing = (at: Position) =>
    panel(
      at,
      'Model RUNNING time per batch',
      'seconds',
      capacity.map((figure) => ({
        label: `${figure.capacity} TPS`,
        segments: [
          { value: figure.batch.metrics.busySeconds, colour: COLOURS.busy },
          { value: figure.batch.metrics.idleSeconds, colour: COLOURS.idle },
        ],
        caption: [`idle ${figure.batch.metrics.idleSeconds.toFixed(1)} s`, path(figure.batch)],
      })),
      `green: inference in flight · red: billed but idle (replaced design: ${capacity[0].replacedDesign.idleSeconds.toFixed(0)} s idle)`,
    );
  return [throughput, billing];
}

/** Issue 13's goals: actions per image, and the overhead and 50 TPS ratios, each path beside its goal. */
function goalPanels(results: BenchResults): PlacedPanel[] {
  const batches = thousandImageBatches(results);
  const actions = (at: Position) =>
    panel(
      at,
      'Temporal actions per image (1,000-image batches)',
      'actions per image',
      batches.map((batch) => ({
        label: shortName(batch),
        segments: [{ value: batch.actionsPerImage!, colour: COLOURS.measured }],
        outline: ACTIONS_PER_IMAGE_GOAL,
        caption: [batch.actionsPerImage!.toFixed(2), path(batch)],
      })),
      `dashed: goal ≤ ${ACTIONS_PER_IMAGE_GOAL} · blue: measured`,
    );
  const ratios = [
    ...(results.overhead?.pipelines ?? []).map(({ pipeline, ratio }) => ({
      label: 'overhead',
      batch: pipeline,
      ratio,
      goal: OVERHEAD_GOAL,
    })),
    ...(results.capacity ?? [])
      .filter((c) => c.capacity === CAPACITY_GOAL_TPS)
      .map((c) => ({ label: `${c.capacity} TPS`, batch: c.batch, ratio: c.ratio, goal: CAPACITY_GOAL })),
  ];
  const speed = (at: Position) =>
    panel(
      at,
      'Speed goals: ratio to baseline',
      'ratio',
      ratios.map(({ label, batch, ratio, goal }) => ({
        label,
        segments: [{ value: ratio, colour: ratio >= goal ? COLOURS.busy : COLOURS.idle }],
        outline: goal,
        caption: [ratio.toFixed(2), path(batch)],
      })),
      `dashed: goal (overhead ≥ ${OVERHEAD_GOAL} × plain script, ${CAPACITY_GOAL_TPS} TPS ≥ ${CAPACITY_GOAL} × capacity)`,
    );
  return [...(batches.length > 0 ? [actions] : []), ...(ratios.length > 0 ? [speed] : [])];
}

/**
 * The chart BENCHMARKS.md links: throughput against capacity (dashed outline: the capacity), per
 * capacity batch the model's RUNNING time split into busy and idle; below, issue 13's goals. SVG
 * rendered to PNG by sharp (already a dependency, prebuilt libvips: no build tools, no network).
 */
export async function renderChart(results: BenchResults, file: string): Promise<void> {
  const panels = [...capacityPanels(results), ...goalPanels(results)];
  if (panels.length === 0) return;
  const rows = Math.ceil(panels.length / 2);
  const drawn = panels.map((draw, index) => draw([(index % 2) * WIDTH, Math.floor(index / 2) * HEIGHT]));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH * 2}" height="${HEIGHT * rows}">` +
    `<rect width="100%" height="100%" fill="#fff"/>${drawn.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}
