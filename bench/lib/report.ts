/** What every benchmark's figures record about the run that produced them. */
export interface RunInfo {
  date: string;
  machine: string;
  command: string;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";

/** A figure's pass/fail cell. */
export const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");

/** The start of a benchmark's BENCHMARKS.md block: its heading, the run's facts and the figures table's head. */
export function blockHead(title: string, run: RunInfo): string[] {
  return [
    `### ${title}`,
    "",
    `- Date: ${run.date}`,
    `- Machine: ${run.machine}`,
    `- Command: \`${run.command}\``,
    "",
    "| figure | measured | target | |",
    "|---|---:|---:|---|",
  ];
}
