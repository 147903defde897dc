/** A small hand-drawn SVG line chart: a time axis, a value axis, one or two series, gaps where there is no data. */
const SVG = 'http://www.w3.org/2000/svg';

export interface Series {
  values: (number | null)[];
  className: string;
}

export interface ChartSpec {
  times: number[];
  series: Series[];
  from: number;
  to: number;
  /** The value axis: from 0 (or min) to at least `max`, grown to fit the data. */
  min?: number;
  max: number;
  formatTime: (ms: number) => string;
}

const W = 480;
const H = 170;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

function node(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function lineChart(spec: ChartSpec, label: string): SVGElement {
  const svg = node('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'none' });
  const all = spec.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const min = Math.min(spec.min ?? 0, ...all);
  const max = Math.max(spec.max, ...all);
  const x = (t: number) => PAD.left + ((t - spec.from) / Math.max(1, spec.to - spec.from)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - ((v - min) / Math.max(1e-9, max - min)) * (H - PAD.top - PAD.bottom);
  for (let i = 0; i <= 4; i++) {
    const v = min + ((max - min) * i) / 4;
    svg.append(node('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    svg.append(node('text', { x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  svg.append(node('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
  for (let i = 0; i <= 4; i++) {
    const t = spec.from + ((spec.to - spec.from) * i) / 4;
    svg.append(
      node(
        'text',
        { x: x(t), y: H - 6, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
        spec.formatTime(t),
      ),
    );
  }
  for (const series of spec.series) {
    // A room silent for longer than it may be (no sample for 20 minutes; an idle room sends a full
    // sample every 15) breaks the line: a room that was down must not look flat.
    const segments: { t: number; v: number }[][] = [];
    series.values.forEach((v, i) => {
      const t = spec.times[i]!;
      const previous = segments.at(-1)?.at(-1);
      if (v === null) return;
      if (!previous || t - previous.t > 20 * 60_000) segments.push([]);
      segments.at(-1)!.push({ t, v });
    });
    for (const points of segments) {
      // A point on its own is a dot, not an invisible zero-length line.
      if (points.length === 1) {
        svg.append(
          node('circle', {
            class: `series-dot ${series.className}`,
            cx: x(points[0]!.t).toFixed(1),
            cy: y(points[0]!.v).toFixed(1),
            r: 3,
          }),
        );
        continue;
      }
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
      svg.append(node('path', { class: `series ${series.className}`, d }));
    }
  }
  return svg;
}
