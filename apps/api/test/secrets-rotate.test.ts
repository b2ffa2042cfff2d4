import { generateKeyringText, keyIdOf, openDocument, parseKeyring, resolveKeyring } from "@upfleet/secrets";
import { describe, expect } from "vitest";
import { rotateSecrets } from "../src/secrets-rotation.ts";
import { apiTest } from "./support/fixtures.ts";

const it = apiTest({ OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8" });

/** `pnpm secrets:rotate` on a database with plaintext rows (from before encryption) and rows under an old key. */
const TOKEN = "Bearer legacy-token-0123456789";

const sealedValues = (doc: unknown) => ((doc as { _sealed?: { value: string }[] })._sealed ?? []).map((e) => e.value);

describe("rotateSecrets", () => {
  it("seals plaintext rows and moves rows under the old key to the new one", async ({ api, owner }) => {
    const post = (path: string, body: object) => api.request("POST", `/api/v1${path}`, { auth: owner.token, body });
    // Written by the API under its (generated, old) key.
    const current = await post("/monitors", {
      type: "http",
      name: "sealed",
      url: "https://u:old-password@example.com/",
      http_headers: { Authorization: TOKEN },
    });
    const channel = await post("/notifications/channels", {
      name: "hook",
      type: "webhook",
      config: { url: "https://hooks.example.com/x?token=abc", secret: "typed-shared-secret-1" },
    });
    // Rows as stored before encryption at rest.
    const legacyMonitor = await post("/monitors", { type: "http", name: "legacy", url: "https://example.com/" });
    const legacySettings = { url: "https://u:plain-password@example.com/", http_headers: { Authorization: TOKEN } };
    await api.deps.db.monitor.update({ where: { id: legacyMonitor.body.id }, data: { settings: legacySettings } });
    const legacyChannel = await post("/notifications/channels", {
      name: "slack",
      type: "slack",
      config: { webhook_url: "https://hooks.slack.com/services/T/B/plain" },
    });
    await api.deps.db.notificationChannel.update({
      where: { id: legacyChannel.body.id },
      data: { config: { webhook_url: "https://hooks.slack.com/services/T/B/plain" } },
    });

    // The operator sets a new key; the generated one still decrypts (resolveKeyring adds it).
    const ring = await resolveKeyring(api.deps.db, parseKeyring(generateKeyringText("k2")));
    const report = await rotateSecrets(api.deps.db, ring);
    expect(report.failed).toEqual([]);
    expect(report.monitors).toBeGreaterThanOrEqual(2);
    expect(report.channels).toBeGreaterThanOrEqual(2);

    const monitors = await api.deps.db.$queryRaw<{ id: string; settings: string }[]>`
      SELECT id, settings::text AS settings FROM monitors`;
    const channels = await api.deps.db.$queryRaw<{ id: string; config: string }[]>`
      SELECT id, config::text AS config FROM notification_channels`;
    for (const text of [...monitors.map((m) => m.settings), ...channels.map((c) => c.config)]) {
      for (const secret of ["old-password", "plain-password", "legacy-token", "token=abc", "typed-shared", "B/plain"]) {
        expect(text).not.toContain(secret);
      }
      expect(sealedValues(JSON.parse(text)).every((value) => keyIdOf(value) === "k2")).toBe(true);
    }
    const k2Only = { current: ring.current, byId: new Map([["k2", ring.current]]) };
    const open = async (id: string) =>
      openDocument((await api.deps.db.monitor.findUniqueOrThrow({ where: { id } })).settings, k2Only);
    expect(await open(legacyMonitor.body.id)).toMatchObject(legacySettings);
    expect(await open(current.body.id)).toMatchObject({ url: "https://u:old-password@example.com/" });
    const slack = await api.deps.db.notificationChannel.findUniqueOrThrow({ where: { id: legacyChannel.body.id } });
    expect(openDocument(slack.config, k2Only)).toEqual({ webhook_url: "https://hooks.slack.com/services/T/B/plain" });
    const hook = await api.deps.db.notificationChannel.findUniqueOrThrow({ where: { id: channel.body.id } });
    expect(openDocument(hook.config, k2Only)).toMatchObject({ secret: "typed-shared-secret-1" });

    // Idempotent: a second pass writes nothing; a value under a key the ring lacks is reported, not thrown.
    expect(await rotateSecrets(api.deps.db, ring)).toEqual({ monitors: 0, channels: 0, failed: [] });
    const stranger = parseKeyring(generateKeyringText("k9"));
    await api.deps.db.monitor.update({
      where: { id: legacyMonitor.body.id },
      data: { settings: { ...legacySettings } },
    });
    const lacking = await rotateSecrets(api.deps.db, { current: stranger.current, byId: stranger.byId });
    expect(lacking.failed.map((f) => f.id)).toContain(current.body.id);
    expect(lacking.failed[0]!.error).toContain("does not list");
  });
});
