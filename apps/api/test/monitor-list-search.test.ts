import { describe, expect } from "vitest";
import { test as it } from "./support/fixtures.ts";

// What the dashboard's monitors list asks of GET /monitors: a name search, and each monitor's
// hourly response times for its sparkline, so a page of 200 monitors is one request.

const HOUR = 3_600_000;

describe("GET /monitors for a list view", () => {
  it("finds monitors by part of their name, ignoring case, with the other filters", async ({ api, owner }) => {
    const create = (name: string, tags: string[] = []) =>
      api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "tcp", name, host: "db.example.com", tcp_port: 5432, interval_seconds: 60, tags },
      });
    for (const [name, tags] of [
      ["Checkout API", ["prod"]],
      ["checkout worker", []],
      ["Search", ["prod"]],
      ["100% up_time", []],
    ] as const) {
      expect((await create(name, [...tags])).status).toBe(201);
    }
    const names = async (query: string) => {
      const res = await api.request("GET", `/api/v1/monitors?${query}`, { auth: owner.token });
      expect(res.status, query).toBe(200);
      return res.body.data.map((m: { name: string }) => m.name).sort();
    };
    expect(await names("q=CHECKOUT")).toEqual(["Checkout API", "checkout worker"]);
    expect(await names("q=checkout&tag=prod")).toEqual(["Checkout API"]);
    // LIKE's wildcards in a search are plain characters.
    expect(await names("q=%25")).toEqual(["100% up_time"]);
    expect(await names("q=c_eckout")).toEqual([]);
    expect(await names("q=p_t")).toEqual(["100% up_time"]);
    expect(await names("q=nothing")).toEqual([]);
    const empty = await api.request("GET", "/api/v1/monitors?q=%20", { auth: owner.token });
    expect(empty.status).toBe(400);
    expect(empty.body.details[0].path).toBe("q");
  });

  it("gives each monitor its last 24 hours' average response times, the current hour last", async ({ api, owner }) => {
    const created = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { type: "http", name: "Sparkline", url: "https://example.com/", interval_seconds: 60 },
    });
    const id = created.body.id as string;
    expect(created.body.response_ms_24h).toEqual(new Array(24).fill(null));
    const currentHour = Math.floor(Date.now() / HOUR) * HOUR;
    const rollup = (hoursAgo: number, responseSumMs: number, responseCount: number) => ({
      monitorId: id,
      span: 3600,
      bucket: new Date(currentHour - hoursAgo * HOUR),
      checks: responseCount,
      failed: 0,
      responseSumMs: BigInt(responseSumMs),
      responseCount,
      histogram: [],
    });
    await api.deps.db.checkRollup.createMany({
      data: [rollup(0, 300, 3), rollup(2, 500, 2), rollup(23, 40, 1), rollup(30, 999, 1), rollup(5, 0, 0)],
    });
    const list = await api.request("GET", "/api/v1/monitors?q=sparkline", { auth: owner.token });
    const series = list.body.data[0].response_ms_24h as (number | null)[];
    expect(series).toHaveLength(24);
    expect(series[23]).toBe(100);
    expect(series[21]).toBe(250);
    expect(series[0]).toBe(40);
    expect(series.filter((v) => v !== null)).toHaveLength(3);
    const one = await api.request("GET", `/api/v1/monitors/${id}`, { auth: owner.token });
    expect(one.body.response_ms_24h).toEqual(series);
    // Read-only, like the other state fields.
    const patch = await api.request("PATCH", `/api/v1/monitors/${id}`, {
      auth: owner.token,
      body: { response_ms_24h: [] },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.details[0]).toMatchObject({ path: "response_ms_24h", message: "is read-only" });
  });
});
