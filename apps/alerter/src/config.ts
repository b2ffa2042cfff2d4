import { baseEnv, databaseEnv, port, regionList } from "@upfleet/config";
import { z } from "zod";

/** Predictable so operators can scrape it (workers take the ports above it). */
export const ALERTER_HEALTH_PORT = 3100;

export const AlerterEnv = z.object({
  ...baseEnv,
  ...databaseEnv,
  HEALTH_PORT: port(ALERTER_HEALTH_PORT),
  /** The deployment's regions: the alerter reports each region's queue depth. */
  REGIONS: regionList("local"),
});

export type AlerterConfig = z.output<typeof AlerterEnv>;
