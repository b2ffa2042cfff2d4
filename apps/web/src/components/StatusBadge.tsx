/** A monitor's (or region's) state as a coloured word: never colour alone, so it reads without colour too. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
