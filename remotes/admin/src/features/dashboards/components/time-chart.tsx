import type { Locale } from '@atrium/contracts';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/** uPlot's layout rules (from uplot/dist/uPlot.min.css, trimmed to what is used: no legend, no title). */
const chartCss = `
.uplot, .uplot *, .uplot *::before, .uplot *::after { box-sizing: border-box; }
.uplot { font-family: inherit; line-height: 1.5; width: min-content; }
.u-wrap { position: relative; user-select: none; }
.u-over, .u-under { position: absolute; }
.u-under { overflow: hidden; }
.uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
.u-axis { position: absolute; }
.u-select { background: rgba(0,0,0,0.07); position: absolute; pointer-events: none; }
.u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; will-change: transform; }
.u-hz .u-cursor-x, .u-vt .u-cursor-y { height: 100%; border-right: 1px dashed #607D8B; }
.u-hz .u-cursor-y, .u-vt .u-cursor-x { width: 100%; border-bottom: 1px dashed #607D8B; }
.u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; border: 0 solid; pointer-events: none; will-change: transform; background-clip: padding-box !important; }
.u-axis.u-off, .u-select.u-off, .u-cursor-x.u-off, .u-cursor-y.u-off, .u-cursor-pt.u-off { display: none; }
.dash-legend { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85rem; }
.dash-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: middle; }
`;

/** Distinguishable in light and dark themes (Okabe–Ito, colour-blind safe). */
export const chartColors = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8a7a00', '#7f7f7f'];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

interface TimeChartProps {
  /** x values: seconds since the epoch (`kind: 'time'`) or 0…n-1 indexes into `categories`. */
  xs: number[];
  series: ChartSeries[];
  locale: Locale;
  /** The y axis' title, already translated (units included). */
  yLabel: string;
  /** Formats a y value for the axis (`$0.12`, `95%`, `120 ms`). */
  formatY?: (value: number) => string;
  kind?: 'time' | 'category';
  categories?: string[];
  /** The bucket size, so the time axis shows dates only (day) or times too. */
  timeDetail?: 'day' | 'time';
  bars?: boolean;
  /** The x axis' extent in seconds (the dashboard's range); unset: the data's, widened by an hour around a single point. */
  xRange?: [number, number];
  /** A one-sentence summary read by screen readers in place of the canvas (the table has the numbers). */
  summary: string;
}

/**
 * A uPlot chart sized to its container (a phone is 390 px wide), redrawn when its data or
 * language changes and destroyed on unmount. Axis dates come from Intl in the reader's locale;
 * the canvas is one image with a summary: each panel's table carries the values.
 */
export function TimeChart({
  xs,
  series,
  locale,
  yLabel,
  formatY,
  kind = 'time',
  categories,
  timeDetail = 'time',
  bars = false,
  xRange,
  summary,
}: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  // Compared by value: a new array of the same range does not redraw.
  const [xFrom, xTo] = xRange ?? [null, null];

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const ink = getComputedStyle(element).color || '#444';
    const grid = { stroke: 'rgba(127,127,127,0.2)', width: 1 };
    const dateFormat = new Intl.DateTimeFormat(
      locale,
      timeDetail === 'day'
        ? { month: 'short', day: 'numeric' }
        : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' },
    );
    const xValues =
      kind === 'category'
        ? (_u: uPlot, splits: number[]) => splits.map((s) => (Number.isInteger(s) ? (categories?.[s] ?? '') : ''))
        : (_u: uPlot, splits: number[]) => splits.map((s) => dateFormat.format(new Date(s * 1000)));
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: 240,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: false,
          range:
            kind === 'category'
              ? [-0.5, xs.length - 0.5]
              : (_u, min, max) =>
                  xFrom !== null && xTo !== null ? [xFrom, xTo] : min === max ? [min - 3_600, max + 3_600] : [min, max],
        },
      },
      axes: [
        { stroke: ink, grid, space: 110, values: xValues, ...(kind === 'category' ? { splits: () => xs } : {}) },
        {
          stroke: ink,
          grid,
          label: yLabel,
          size: 60,
          values: (_u, splits) => splits.map((s) => (formatY ? formatY(s) : String(s))),
        },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: chartColors[i % chartColors.length],
          width: 2,
          ...(bars
            ? {
                fill: chartColors[i % chartColors.length],
                paths: uPlot.paths.bars?.({ size: [0.6, 60] }),
                points: { show: false },
              }
            : { points: { show: xs.length < 40 } }),
        })),
      ],
    };
    const plot = new uPlot(options, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [xs, series, locale, yLabel, formatY, kind, categories, timeDetail, bars, xFrom, xTo]);

  return (
    <div>
      <style href="atrium-admin-uplot" precedence="default">
        {chartCss}
      </style>
      <div ref={box} role="img" aria-label={summary} className="dash-chart" />
      <ul className="dash-legend" aria-hidden="true">
        {series.map((s, i) => (
          <li key={s.label}>
            <span className="dash-swatch" style={{ background: chartColors[i % chartColors.length] }} />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
