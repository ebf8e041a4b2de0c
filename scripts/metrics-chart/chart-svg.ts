/** Small SVG pieces for the metrics chart: a line panel with axes, and a stacked horizontal bar. */

export interface Series {
  name: string;
  colour: string;
  points: Array<[number, number]>;
}

export const PANEL = { width: 460, height: 340 };
const MARGIN = { top: 50, right: 20, bottom: 45, left: 55 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value || 1));
  return Math.ceil(value / magnitude) * magnitude;
}

/** The title, and under it the subtitle: plain text, or the series' names in their colours. */
function frame(title: string, subtitle: string | Series[]): string[] {
  const under =
    typeof subtitle === 'string'
      ? escape(subtitle)
      : subtitle
          .map((s) => `<tspan fill="${s.colour}" font-weight="bold">■ ${escape(s.name)}</tspan>`)
          .join('  ');
  return [
    `<text x="${PANEL.width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${PANEL.width / 2}" y="40" text-anchor="middle" font-size="11" fill="#444">${under}</text>`,
  ];
}

const place = (left: number, parts: string[]) =>
  `<g transform="translate(${left} 0)" font-family="DejaVu Sans, sans-serif">${parts.join('')}</g>`;

/** Lines over time (x: seconds), y from 0, four grid lines, the series' names as the legend. */
export function linePanel(left: number, title: string, unit: string, series: Series[]): string {
  const plotWidth = PANEL.width - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL.height - MARGIN.top - MARGIN.bottom;
  const all = series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(...all.map(([x]) => x)));
  const yMax = niceMax(Math.max(...all.map(([, y]) => y)) * 1.1);
  const x = (value: number) => MARGIN.left + (value / xMax) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const parts = frame(title, series);
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (yMax / 4) * tick;
    const seconds = (xMax / 4) * tick;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(value)}" x2="${PANEL.width - MARGIN.right}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${Number(value.toPrecision(3))}</text>`,
      `<text x="${x(seconds)}" y="${y(0) + 16}" text-anchor="middle" font-size="11">${Number(seconds.toPrecision(3))}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${y(0)}" stroke="#000"/>`,
    `<line x1="${MARGIN.left}" y1="${y(0)}" x2="${PANEL.width - MARGIN.right}" y2="${y(0)}" stroke="#000"/>`,
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(unit)}</text>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${PANEL.height - 8}" text-anchor="middle" font-size="12">seconds (from 10 s before the first call)</text>`,
  );
  for (const s of series) {
    const path = s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
  }
  return place(left, parts);
}

/** One total split into parts, as a horizontal stacked bar with each part's value under it. */
export function splitPanel(
  left: number,
  title: string,
  subtitle: string,
  parts: Array<{ name: string; value: number; colour: string }>,
  unit: string,
): string {
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  const plotWidth = PANEL.width - MARGIN.left - MARGIN.right;
  const svg = frame(title, subtitle);
  let at = MARGIN.left;
  parts.forEach((part, index) => {
    const width = total === 0 ? 0 : (part.value / total) * plotWidth;
    svg.push(`<rect x="${at}" y="110" width="${width}" height="60" fill="${part.colour}"/>`);
    const line = 205 + 22 * index;
    svg.push(
      `<rect x="${MARGIN.left}" y="${line - 11}" width="12" height="12" fill="${part.colour}"/>`,
      `<text x="${MARGIN.left + 18}" y="${line}" font-size="13">${escape(part.name)}: ${part.value.toFixed(1)} ${escape(unit)}</text>`,
    );
    at += width;
  });
  return place(left, svg);
}

export function chartSvg(panels: string[], caption: string): string {
  const width = PANEL.width * panels.length;
  const height = PANEL.height + 30;
  const placed = panels.join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${placed}<text x="${width / 2}" y="${height - 10}" text-anchor="middle" font-size="12" font-family="DejaVu Sans, sans-serif" fill="#333">${escape(caption)}</text></svg>`;
}
