/**
 * Seeded images of outline-defined shapes (circle, square, triangle, star): random sizes, places,
 * rotations and colours on a gradient with stray strokes, each shape with its bounding box.
 */
import type { Random } from '../src/local/model/seeded-random';
import { between, clutter, contrastingColours, encodeSample, hsl } from './drawing';

export const SHAPES = ['circle', 'square', 'triangle', 'star'] as const;
export type ShapeName = (typeof SHAPES)[number];

/** In pixels, as Ground Truth's bounding-box annotations give it. */
export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PlacedShape {
  label: ShapeName;
  box: PixelBox;
}

export interface ShapeImage {
  bytes: Buffer;
  extension: 'jpg' | 'png';
  width: number;
  height: number;
  shapes: PlacedShape[];
}

export interface ShapeLayout {
  /** Labels of the shapes to draw, one shape each. */
  labels: readonly ShapeName[];
  /** Range of each shape's circumradius, as a share of the image's shorter side. */
  radius: [number, number];
  /** Range of the image's longer side, px. */
  side: [number, number];
}

/** Corners per polygon at circumradius 1, pointing up before rotation; the star alternates radii. */
const OUTLINES: Record<Exclude<ShapeName, 'circle'>, Array<[number, number]>> = {
  square: regularPolygon(4, [1]),
  triangle: regularPolygon(3, [1]),
  star: regularPolygon(10, [1, 0.45]),
};

export async function renderShapeImage(random: Random, layout: ShapeLayout): Promise<ShapeImage> {
  const longer = between(random, ...layout.side);
  const shorter = Math.round(longer * between(random, 0.75, 1, false));
  const [width, height] = random() < 0.5 ? [longer, shorter] : [shorter, longer];
  const { background, foregroundLightness } = contrastingColours(random);
  const placed: Array<PlacedShape & { circle: Circle }> = [];
  const elements: string[] = [];
  for (const label of layout.labels) {
    const radius = shorter * between(random, ...layout.radius, false);
    const circle = freeSpot(
      random,
      radius,
      width,
      height,
      placed.map((shape) => shape.circle),
    );
    const rotation = between(random, 0, 360, false);
    // Shapes share the foreground's lightness, so each stands out as well, but not its hue.
    const fill = hsl(between(random, 0, 360), between(random, 30, 100), foregroundLightness);
    const { element, box } = drawShape(label, circle, rotation, fill);
    elements.push(element);
    placed.push({ label, box, circle });
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="background" gradientTransform="rotate(${between(random, 0, 360)} 0.5 0.5)">
        <stop offset="0" stop-color="${background[0]}"/><stop offset="1" stop-color="${background[1]}"/>
      </linearGradient>
    </defs>
    <rect width="100%" height="100%" fill="url(#background)"/>
    ${clutter(random, width, height)}
    ${elements.join('\n')}
  </svg>`;
  const { bytes, extension } = await encodeSample(svg, random);
  return { bytes, extension, width, height, shapes: placed.map(({ label, box }) => ({ label, box })) };
}

interface Circle {
  x: number;
  y: number;
  radius: number;
}

/** A centre where the shape fits in the image and its circumcircle clears the others'. */
function freeSpot(random: Random, radius: number, width: number, height: number, taken: Circle[]): Circle {
  for (let attempt = 0; ; attempt++) {
    // Shrinks after many misses, so a crowded image still gets all its shapes.
    const r = radius * 0.97 ** Math.floor(attempt / 20);
    const spot = {
      x: between(random, r, width - r, false),
      y: between(random, r, height - r, false),
      radius: r,
    };
    const gap = Math.max(4, 0.1 * r);
    if (taken.every((other) => Math.hypot(other.x - spot.x, other.y - spot.y) > other.radius + r + gap)) {
      return spot;
    }
  }
}

function drawShape(
  label: ShapeName,
  { x, y, radius }: Circle,
  rotation: number,
  fill: string,
): { element: string; box: PixelBox } {
  if (label === 'circle') {
    return {
      element: `<circle cx="${x}" cy="${y}" r="${radius}" fill="${fill}"/>`,
      box: { left: x - radius, top: y - radius, width: 2 * radius, height: 2 * radius },
    };
  }
  const angle = (rotation * Math.PI) / 180;
  const corners = OUTLINES[label].map(([cx, cy]): [number, number] => [
    x + radius * (cx * Math.cos(angle) - cy * Math.sin(angle)),
    y + radius * (cx * Math.sin(angle) + cy * Math.cos(angle)),
  ]);
  const xs = corners.map(([cx]) => cx);
  const ys = corners.map(([, cy]) => cy);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return {
    element: `<polygon points="${corners.map((corner) => corner.join(',')).join(' ')}" fill="${fill}"/>`,
    box: { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top },
  };
}

function regularPolygon(corners: number, radii: number[]): Array<[number, number]> {
  return Array.from({ length: corners }, (_, i) => {
    const angle = (2 * Math.PI * i) / corners - Math.PI / 2;
    const radius = radii[i % radii.length];
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}
