import { describe, expect, it } from "vitest";
import { defaultValues, toBody, toValues } from "./monitor-form.ts";

describe("the monitor form's values and the API's body", () => {
  it("turns a new http monitor's strings into typed fields, leaving empty ones to the API's defaults", () => {
    const body = toBody(
      "http",
      {
        ...defaultValues("http"),
        name: "Shop",
        url: "https://shop.example.com/",
        tags: "prod, eu ,",
        http_headers: '{"Accept": "text/html"}',
        verify_tls: undefined,
        http_keyword: "",
      },
      false,
    );
    expect(body).toEqual({
      type: "http",
      name: "Shop",
      url: "https://shop.example.com/",
      interval_seconds: 60,
      http_method: "GET",
      http_expected_status: "200-299",
      http_headers: { Accept: "text/html" },
      tags: ["prod", "eu"],
      follow_redirects: true,
      verify_tls: false,
      http_keyword_negate: false,
    });
  });

  it("sends what does not parse as typed, so the API's error lands on the field", () => {
    const body = toBody("tcp", { name: "db", host: "db.example.com", tcp_port: "fivefourthreetwo" }, false);
    expect(body.tcp_port).toBe("fivefourthreetwo");
    expect(toBody("api", { api_check_steps: "[{" }, false).api_check_steps).toBe("[{");
  });

  it("clears a nullable field emptied in an edit, and sends no type", () => {
    const body = toBody("heartbeat", { name: "backup", heartbeat_schedule: "", heartbeat_grace_minutes: "10" }, true);
    expect(body).toMatchObject({ heartbeat_schedule: null, heartbeat_grace_minutes: 10 });
    expect(body).not.toHaveProperty("type");
  });

  it("reads a stored monitor back into the same form", () => {
    const stored = {
      type: "ssl",
      name: "cert",
      interval_seconds: 3600,
      host: "example.com",
      port: 443,
      ssl_expiry_alert_days: [30, 7],
      tags: [],
      url: null,
    };
    const values = toValues(stored);
    expect(values).toMatchObject({ name: "cert", port: "443", ssl_expiry_alert_days: "30, 7", tags: "" });
    expect(toBody("ssl", values, true)).toMatchObject({
      port: 443,
      ssl_expiry_alert_days: [30, 7],
      host: "example.com",
    });
  });
});
