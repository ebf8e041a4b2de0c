/** Seeded drawing helpers shared by the sample-data generators (SVG strings rendered by sharp). */
import sharp from 'sharp';
import type { Random } from '../src/local/model/seeded-random';

/** Uniform in [low, high]; whole numbers unless `integer` is false. */
export function between(random: Random, low: number, high: number, integer = true): number {
  const value = low + random() * (high - low);
  return integer ? Math.round(value) : value;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function hsl(hue: number, saturation: number, lightness: number): string {
  return `hsl(${((hue % 360) + 360) % 360},${saturation}%,${lightness}%)`;
}

/** Background and foreground lightness far enough apart that the foreground is always plainly visible. */
export function contrastingColours(random: Random): {
  background: [string, string];
  foreground: string;
  foregroundLightness: number;
} {
  const backgroundLightness = between(random, 10, 90);
  const contrast = between(random, 40, 50);
  const foregroundLightness =
    backgroundLightness > 50 ? backgroundLightness - contrast : backgroundLightness + contrast;
  const backgroundHue = between(random, 0, 360);
  const backgroundSaturation = between(random, 0, 70);
  const endLightness = clamp(backgroundLightness + between(random, -8, 8), 0, 100);
  return {
    background: [
      hsl(backgroundHue, backgroundSaturation, backgroundLightness),
      hsl(backgroundHue + between(random, -40, 40), backgroundSaturation, endLightness),
    ],
    foreground: hsl(between(random, 0, 360), between(random, 30, 100), foregroundLightness),
    foregroundLightness,
  };
}

/** A few stray strokes, so a model must cope with things that are not the label. */
export function clutter(random: Random, width: number, height: number): string {
  const strokes: string[] = [];
  for (let count = between(random, 0, 4); count > 0; count--) {
    const [x1, y1, x2, y2] = [width, height, width, height].map((side) => between(random, 0, side));
    const colour = hsl(between(random, 0, 360), 50, between(random, 20, 80));
    strokes.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="${between(random, 1, 4)}"/>`,
    );
  }
  return strokes.join('\n');
}

function addGrain(pixels: Buffer, random: Random): void {
  const amplitude = between(random, 0, 24);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = clamp(pixels[i] + Math.round((random() - 0.5) * amplitude), 0, 255);
  }
}

/** Half PNG with a palette, half grainy JPEG of random quality: both formats, and a committed set kept small. */
export async function encodeSample(
  svg: string,
  random: Random,
): Promise<{ bytes: Buffer; extension: 'jpg' | 'png' }> {
  const rendered = sharp(Buffer.from(svg)).removeAlpha();
  if (random() < 0.5) {
    // A palette keeps the committed set small: the only gradient is the background's.
    return {
      bytes: await rendered.png({ palette: true, colours: 64, dither: 0 }).toBuffer(),
      extension: 'png',
    };
  }
  // Grain only on JPEGs: it costs them little, but would make PNGs too big to commit.
  const { data, info } = await rendered.raw().toBuffer({ resolveWithObject: true });
  addGrain(data, random);
  const grainy = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  return { bytes: await grainy.jpeg({ quality: between(random, 60, 90) }).toBuffer(), extension: 'jpg' };
}
