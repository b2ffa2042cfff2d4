import { expect, it } from "vitest";
import { crontabLine } from "./HeartbeatPanel.tsx";
import { latestPerRegion } from "./regions.ts";

it("keeps each region's newest check, regions in name order", () => {
  const checks = [
    { region: "eu", timestamp: "2026-01-01T00:00:10Z", status: "up" },
    { region: "us", timestamp: "2026-01-01T00:00:20Z", status: "down" },
    { region: "eu", timestamp: "2026-01-01T00:00:30Z", status: "down" },
  ];
  expect(latestPerRegion(checks)).toEqual([checks[2], checks[1]]);
});

it("writes a crontab line that reports the start and the job's exit code", () => {
  expect(crontabLine("0 3 * * *", "https://up.example.com/api/heartbeat/tok")).toBe(
    "0 3 * * * curl -fsS -m 10 --retry 3 https://up.example.com/api/heartbeat/tok/start >/dev/null; your-job.sh; curl -fsS -m 10 --retry 3 https://up.example.com/api/heartbeat/tok/$? >/dev/null",
  );
});
