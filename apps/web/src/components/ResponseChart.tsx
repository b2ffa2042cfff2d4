import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  /** Points as [unix seconds, milliseconds or null]. */
  points: [number, number | null][];
}

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2"];

/** Merges series onto one sorted time axis, null where a series has no point: uPlot's data shape. */
export function alignSeries(series: Series[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, value] of s.points) column[index.get(t)!] = value;
    return column;
  });
  return [times, ...columns];
}

/** Response times per region with uPlot; it resizes with its container. */
export function ResponseChart({ series, title }: { series: Series[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: 220,
        scales: { x: { time: true } },
        axes: [{ stroke: "currentColor" }, { stroke: "currentColor", label: "ms" }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], spanGaps: false }))],
      },
      alignSeries(series),
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series]);
  return <figure className="chart" ref={box} aria-label={title} />;
}
