// The checks are shared with every package whose rows name monitors (packages/db owned.ts).
export { lockOwned, requireOwned } from "@upfleet/db";

/** "rule rul_1 (Pager), rule rul_2 (Ops)": what a 409 names. */
export function describeUsers(kind: string, rows: readonly { id: string; name: string }[]): string {
  return rows.map((row) => `${kind} ${row.id} (${row.name})`).join(", ");
}
