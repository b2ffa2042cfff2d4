import { StoredDataError } from "@upfleet/errors";
import { describe, expect, it } from "vitest";
import { TYPE_DEFAULTS } from "./input.ts";
import { parseSettings, settingsDocument } from "./settings.ts";

describe("parseSettings", () => {
  it("types a row by its monitor type, filling the defaults of fields added after it was written", () => {
    const settings = parseSettings("http", { url: "https://example.com/" });
    expect(settings).toEqual({ type: "http", url: "https://example.com/", ...TYPE_DEFAULTS.http });
    expect(settings.type === "http" && settings.http_expected_status).toBe("200-299");
    expect(parseSettings("tcp", { host: "db.example.com", tcp_port: 5432 })).toMatchObject({ tcp_port: 5432 });
  });

  it("leaves out what is not a field of the type, such as the sealed credentials", () => {
    const settings = parseSettings("ping", { host: "example.com", _sealed: [], url: "https://x.example/" });
    expect(settings).toEqual({ type: "ping", host: "example.com", response_time_threshold_ms: null });
  });

  it("makes a row with bad settings a StoredDataError naming the fields, not a crash further on", () => {
    const read = () =>
      parseSettings("tcp", { host: "db.example.com", tcp_port: "5432", response_time_threshold_ms: 0 });
    expect(read).toThrow(StoredDataError);
    try {
      read();
    } catch (error) {
      expect((error as StoredDataError).details.map((d) => d.path)).toEqual(["tcp_port", "response_time_threshold_ms"]);
    }
  });

  it("refuses an unknown type and a column that is no JSON object", () => {
    expect(() => parseSettings("smtp", {})).toThrow(StoredDataError);
    expect(() => parseSettings("http", ["https://example.com/"])).toThrow(StoredDataError);
    expect(() => settingsDocument("url=https://example.com/")).toThrow(StoredDataError);
    expect(settingsDocument(null)).toEqual({});
  });
});
