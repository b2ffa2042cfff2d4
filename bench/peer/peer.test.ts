import { describe, expect, it } from "vitest";
import { parsePeerArgs } from "./args.ts";
import { FleetResults, type KumaFigures, kumaKeptUp, type PeerRow, renderPeer } from "./report.ts";

describe("bench:peer options", () => {
  it("defaults to 100 and 1,000 monitors at 30 s and resolves the Kuma folder", () => {
    expect(parsePeerArgs(["--kuma-dir", "kuma"])).toEqual({
      kumaDir: `${process.cwd()}/kuma`,
      monitors: [100, 1000],
      intervalS: 30,
      warmupS: 30,
      durationS: 120,
      write: true,
    });
  });

  it("reads a list of sizes and the window", () => {
    const parsed = parsePeerArgs([
      "--kuma-dir=/k",
      "--monitors",
      "10, 50",
      "--interval",
      "20",
      "--duration",
      "60",
      "--no-write",
    ]);
    expect(parsed).toMatchObject({ kumaDir: "/k", monitors: [10, 50], intervalS: 20, write: false });
  });

  it("names the option that is wrong", () => {
    expect(() => parsePeerArgs([])).toThrow("--kuma-dir");
    expect(() => parsePeerArgs(["--kuma-dir", "k", "--monitors", "100,x"])).toThrow("--monitors");
    expect(() => parsePeerArgs(["--kuma-dir", "k", "--monitors", "100,"])).toThrow("--monitors");
    expect(() => parsePeerArgs(["--kuma-dir", "k", "--duration", "5"])).toThrow("--duration");
    expect(() => parsePeerArgs(["--kuma-dir", "k", "--duration", "100"])).toThrow(
      "--duration: must be a whole number of intervals",
    );
    expect(() => parsePeerArgs(["--kuma-dir", "k", "--bogus"])).toThrow("bogus");
  });

  it("answers --help without requiring the folder", () => {
    expect(parsePeerArgs(["--help"])).toEqual({ help: true });
  });
});

const kuma = (monitors: number, cpuSeconds: number, checks: number): KumaFigures => ({
  monitors,
  intervalS: 30,
  windowS: 120,
  cpuSeconds,
  checks,
  addS: 10,
  rssMb: 100,
  hwmMb: 120,
  machineBusyCores: 0.5,
});

const upfleet = (allInMsPerCheck: number) =>
  FleetResults.parse({
    command: "pnpm bench:fleet --monitors 1000 --no-write",
    windowS: 120,
    stored: 4000,
    checksPerS: 33.3,
    expectedChecksPerS: 33.3,
    missedTicks: 0,
    oursCpuSeconds: 8,
    cpuMsPerCheck: 2,
    allInCpuSeconds: (allInMsPerCheck * 4000) / 1000,
    allInMsPerCheck,
    // Fields the peer bench does not read are allowed and dropped.
    rows: [],
  });

describe("bench:peer table", () => {
  const row = (kumaCpuS: number, upfleetMs: number): PeerRow => ({
    kuma: kuma(1000, kumaCpuS, 4000),
    upfleet: upfleet(upfleetMs),
  });
  const render = (rows: PeerRow[]) =>
    renderPeer({ date: "2026-12-06", machine: "2 CPUs", command: "pnpm bench:peer", kumaVersion: "2.5.3", rows });

  it("shows Kuma's ms per check and share of a core beside Upfleet's, with their ratio", () => {
    // Kuma: 19.56 s over 4,000 checks = 4.89 ms each, 16.3 % of a core over 120 s.
    const text = render([row(19.56, 1.5)]);
    const line = text.split("\n").find((l) => l.startsWith("| 1,000 @ 30 s"));
    expect(line).toContain("**4.89**");
    expect(line).toContain("16.3 %");
    expect(line).toContain("33.3 (33.3)");
    expect(line).toContain("**1.50**");
    expect(line).toContain("5.0 %");
    expect(line).toContain("0.31 ×");
    expect(line).toContain("≤ 1.63 ms (⅓ of Kuma's): **pass**");
    expect(text).toContain("**headless**");
    expect(text).toContain("### Uptime Kuma 2.5.3 and Upfleet, 1,000 monitors × 30 s");
    expect(text).toContain("busy over Kuma's windows (all processes, `/proc/stat`): 0.50 cores");
  });

  it("fails the 1,000-monitor target above a third of Kuma and leaves other sizes without one", () => {
    expect(render([row(19.56, 1.7)])).toContain("**FAIL**");
    const small = render([{ kuma: kuma(100, 2, 400), upfleet: upfleet(20) }]);
    expect(small).not.toMatch(/pass|FAIL/);
  });

  it("flags a Kuma that checked more than 10 % less often than asked", () => {
    expect(kumaKeptUp(kuma(1000, 10, 3700))).toBe(true);
    expect(kumaKeptUp(kuma(1000, 10, 3500))).toBe(false);
    expect(render([{ kuma: kuma(1000, 10, 3500), upfleet: upfleet(1) }])).toContain("29.2 (33.3) ⚠");
  });
});
