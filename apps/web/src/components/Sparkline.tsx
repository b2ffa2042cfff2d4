/**
 * Response times as an inline SVG line: cheap enough for every visible row of a 10,000-row list (a
 * chart library instance per row is not). Gaps (null) break the line.
 */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const width = 96;
  const height = 24;
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return <span className="muted">—</span>;
  const max = Math.max(...known, 1);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  let path = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - 2 - (value / max) * (height - 4)).toFixed(1);
    path += `${pen ? "L" : "M"}${x} ${y}`;
    pen = true;
  });
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
