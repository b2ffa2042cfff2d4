import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodePingBody, PING_BODY_LIMIT, readPingBody } from "./body.ts";

const chunks = (...parts: (string | Buffer)[]) => Readable.from(parts.map((p) => Buffer.from(p)));

describe("readPingBody", () => {
  it("keeps a small body whole", async () => {
    expect(await readPingBody(chunks("backup ", "done: 42 files"))).toEqual({
      text: "backup done: 42 files",
      bytes: 21,
      truncated: false,
    });
  });

  it("an empty body is null", async () => {
    expect(await readPingBody(chunks())).toEqual({ text: null, bytes: 0, truncated: false });
  });

  it("keeps the first 10 KiB of a large body, reads the rest to the end and discards it", async () => {
    const mb = Buffer.alloc(1024 * 1024, "x");
    const body = await readPingBody(Readable.from(Array.from({ length: 10 }, () => mb)));
    expect(body.bytes).toBe(10 * 1024 * 1024);
    expect(body.truncated).toBe(true);
    expect(body.text).toBe("x".repeat(PING_BODY_LIMIT));
  });

  it("keeps exactly the limit when the body is exactly the limit", async () => {
    const body = await readPingBody(chunks("a".repeat(PING_BODY_LIMIT)));
    expect(body).toMatchObject({ truncated: false, bytes: PING_BODY_LIMIT });
    expect(body.text).toHaveLength(PING_BODY_LIMIT);
  });

  it("drops a multi-byte character cut by the truncation instead of storing half of it", async () => {
    const body = await readPingBody(chunks("a".repeat(PING_BODY_LIMIT - 1), "é and more"));
    expect(body.text).toBe("a".repeat(PING_BODY_LIMIT - 1));
  });
});

describe("decodePingBody", () => {
  it("stores UTF-8 text as it came", () => {
    expect(decodePingBody(Buffer.from("ok ✓ 日本"), false)).toBe("ok ✓ 日本");
  });

  it("stores binary bytes and NUL as U+FFFD (lossy, and storable in PostgreSQL text)", () => {
    expect(decodePingBody(Buffer.from([0x61, 0x00, 0xff, 0xfe, 0x62]), false)).toBe("a\uFFFD\uFFFD\uFFFDb");
  });
});
