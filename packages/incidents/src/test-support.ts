import { monitorRow, stateChangeRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";

const REGIONS = ["eu-west", "us-east"];

type StateChange = "monitor.down" | "monitor.up" | "monitor.degraded";

/**
 * `test` with seeds in the file's organization: `monitor` writes a monitor in two regions and `event`
 * a state change as the results ingest writes it.
 */
export const it = test.extend<{
  monitor: (fields?: { paused?: boolean; deletedAt?: Date }) => Promise<string>;
  event: (monitorId: string, type: StateChange, tick: number) => Promise<string>;
}>({
  monitor: async ({ db, organizationId }, use) =>
    use(async (fields = {}) => {
      const row = monitorRow(organizationId, { name: "Site", regions: REGIONS, ...fields });
      await db.monitor.create({ data: row });
      return row.id;
    }),
  event: async ({ db, organizationId }, use) =>
    use(async (monitorId, type, tick) => {
      const row = stateChangeRow(organizationId, monitorId, type, new Date(tick), REGIONS);
      await db.monitorEvent.create({ data: row });
      return row.id;
    }),
});
