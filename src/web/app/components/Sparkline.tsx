import { useI18n } from '../i18n.tsx';
import type { TrendPoint } from '../types.ts';

/**
 * A small trend with its interval band, drawn as SVG (the overview needs no chart library).
 * In Arabic time runs from the right, like the big charts.
 */
export function Sparkline({ points, label }: { points: TrendPoint[]; label: string }) {
  const { dir } = useI18n();
  const width = 160;
  const height = 40;
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value, ...(p.ci ?? [])]));
  if (values.length === 0) return null;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const x = (index: number) => {
    const position = points.length === 1 ? width / 2 : (index / (points.length - 1)) * (width - 4) + 2;
    return dir === 'rtl' ? width - position : position;
  };
  const y = (value: number) => height - 2 - ((value - low) / span) * (height - 4);
  const measured = points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
  const line = measured.map((p) => `${x(p.i).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ');
  const banded = measured.filter((p) => p.ci);
  const band = banded.length > 1
    ? [...banded.map((p) => `${x(p.i).toFixed(1)},${y(p.ci![1]).toFixed(1)}`), ...banded.reverse().map((p) => `${x(p.i).toFixed(1)},${y(p.ci![0]).toFixed(1)}`)].join(' ')
    : '';
  const last = measured.at(-1);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      {band && <polygon points={band} className="sparkline-band" />}
      <polyline points={line} className="sparkline-line" />
      {last && <circle cx={x(last.i)} cy={y(last.value!)} r={2.5} className="sparkline-dot" />}
    </svg>
  );
}
