import type { Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { readSettings } from "@upfleet/monitors";
import type { ResultJob } from "@upfleet/queue";

interface Certificate {
  days_left: number;
  valid_to: string;
  fingerprint256: string;
}

/** The alert threshold a certificate with `daysLeft` days has crossed: the smallest one not below it. */
export function crossedThreshold(daysLeft: number, alertDays: number[]): number | null {
  const crossed = alertDays.filter((days) => daysLeft <= days);
  return crossed.length > 0 ? Math.min(...crossed) : null;
}

function certificateOf(job: ResultJob): Certificate | null {
  const d = job.result.details;
  // A certificate that does not verify is a down check (monitor.down says so), not an expiry warning.
  if (job.result.status === "down") return null;
  if (typeof d.days_left !== "number" || typeof d.valid_to !== "string" || typeof d.fingerprint256 !== "string") {
    return null;
  }
  return { days_left: d.days_left, valid_to: d.valid_to, fingerprint256: d.fingerprint256 };
}

/**
 * Writes ssl.expiring when an ssl monitor's certificate crosses one of its ssl_expiry_alert_days, once
 * per threshold per certificate (by fingerprint): a renewed certificate starts over, and certificates
 * served side by side are each announced once. What was announced is read back from the events
 * themselves (the settings are the user's), under a per-monitor advisory lock so two alerters cannot
 * both announce. The event reports; it changes no state. Returns how many events were written.
 */
export async function writeSslExpiryEvents(db: Db, jobs: ResultJob[]): Promise<number> {
  const candidates = jobs
    .map((job) => ({ job, certificate: certificateOf(job) }))
    .filter((c): c is { job: ResultJob; certificate: Certificate } => c.certificate !== null)
    .sort((a, b) => a.job.tick - b.job.tick);
  if (candidates.length === 0) return 0;
  const ids = [...new Set(candidates.map((c) => c.job.monitorId))].sort();
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`
        SELECT count(pg_advisory_xact_lock(hashtextextended('ssl.expiring:' || id, 0)))::int AS locked
        FROM (SELECT id FROM unnest(${ids}::text[]) AS id ORDER BY id) AS sorted`;
      const monitors = new Map(
        (
          await tx.monitor.findMany({
            where: { id: { in: ids }, type: "ssl", deletedAt: null },
            select: { id: true, organizationId: true, status: true, settings: true },
          })
        ).map((m) => [m.id, m]),
      );
      if (monitors.size === 0) return 0;
      const rows = await tx.$queryRaw<{ monitor_id: string; fingerprint: string | null; threshold: number | null }[]>`
        SELECT monitor_id, cause->>'fingerprint256' AS fingerprint, min((cause->>'threshold')::int) AS threshold
        FROM monitor_events
        WHERE monitor_id = ANY(${[...monitors.keys()]}::text[]) AND type = 'ssl.expiring'
        GROUP BY 1, 2`;
      /** `<monitor> <fingerprint>` → the smallest threshold announced for that certificate. */
      const announced = new Map(rows.map((r) => [`${r.monitor_id} ${r.fingerprint}`, r.threshold ?? Infinity]));

      const events: Prisma.MonitorEventCreateManyInput[] = [];
      for (const { job, certificate } of candidates) {
        const monitor = monitors.get(job.monitorId);
        if (!monitor) continue;
        // Settings that do not parse are scheduled as an unrunnable check (no certificate comes back): skipped.
        const settings = readSettings("ssl", monitor.settings);
        if (settings?.type !== "ssl") continue;
        const threshold = crossedThreshold(certificate.days_left, settings.ssl_expiry_alert_days);
        if (threshold === null) continue;
        const key = `${monitor.id} ${certificate.fingerprint256}`;
        if ((announced.get(key) ?? Infinity) <= threshold) continue;
        announced.set(key, threshold);
        events.push({
          id: newId("event"),
          organizationId: monitor.organizationId,
          monitorId: monitor.id,
          type: "ssl.expiring",
          fromStatus: monitor.status,
          toStatus: monitor.status,
          tick: new Date(job.tick),
          cause: { ...certificate, threshold, region: job.region },
        });
      }
      if (events.length === 0) return 0;
      const { count } = await tx.monitorEvent.createMany({ data: events, skipDuplicates: true });
      return count;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
