import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { useI18n } from '../i18n.tsx';

/** Okabe–Ito: eight colours told apart with every common colour-vision deficiency. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface ChartHandle {
  /** The chart as a PNG data URL (white background, twice the screen's pixels). */
  toPng(): string | undefined;
}

type AxisOption = Record<string, unknown>;

/**
 * Right-to-left: time and categories run from the right, and the value axis stands on the
 * right, as Arabic readers expect; a chart opts out with mirror={false} (a heatmap whose
 * columns are not an order, say).
 */
export function mirrored(option: EChartsCoreOption, rtl: boolean): EChartsCoreOption {
  if (!rtl) return option;
  const flip = (axes: unknown, change: (axis: AxisOption) => AxisOption) =>
    axes === undefined ? undefined : Array.isArray(axes) ? axes.map((a: AxisOption) => change(a)) : change(axes as AxisOption);
  const horizontal = (axis: AxisOption) => ({ ...axis, inverse: !axis.inverse });
  const vertical = (axis: AxisOption) => {
    // A name that starts at the axis and runs inwards (align left) runs inwards from the right too.
    const style = axis.nameTextStyle as { align?: string } | undefined;
    const align = style?.align === 'left' ? 'right' : style?.align === 'right' ? 'left' : style?.align;
    return { ...axis, position: axis.position === 'right' ? 'left' : 'right', ...(style ? { nameTextStyle: { ...style, align } } : {}) };
  };
  const result: Record<string, unknown> = { ...option };
  if (option.xAxis !== undefined) result.xAxis = flip(option.xAxis, horizontal);
  if (option.yAxis !== undefined) result.yAxis = flip(option.yAxis, vertical);
  return result as EChartsCoreOption;
}

export interface ChartProps {
  option: EChartsCoreOption;
  /** What the chart shows, for screen readers (the table beside it has the numbers). */
  label: string;
  height?: number;
  mirror?: boolean;
  testId?: string;
}

/**
 * An ECharts chart. The library loads with the first chart on a page (a separate chunk), the
 * canvas follows its box's size, and text uses the page's font so Arabic and Lithuanian render.
 */
export const Chart = forwardRef<ChartHandle, ChartProps>(function Chart({ option, label, height = 320, mirror = true, testId }, ref) {
  const { dir } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);
  const latest = useRef(option);
  latest.current = mirror ? mirrored(option, dir === 'rtl') : option;

  useImperativeHandle(ref, () => ({
    toPng: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }),
  }));

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('../echarts.ts').then(({ echarts }) => {
      if (disposed || !box.current) return;
      chart.current = echarts.init(box.current, undefined, { renderer: 'canvas' });
      chart.current.setOption(themed(latest.current));
      box.current.dataset.ready = 'true';
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(box.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(themed(latest.current), { notMerge: true });
  }, [option, dir, mirror]);

  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} style={{ blockSize: `${height}px` }} />;
});

function themed(option: EChartsCoreOption): EChartsCoreOption {
  return {
    color: PALETTE,
    textStyle: { fontFamily: 'system-ui, "DejaVu Sans", sans-serif', color: '#1d2330' },
    animation: false,
    aria: { enabled: true },
    ...option,
  };
}
