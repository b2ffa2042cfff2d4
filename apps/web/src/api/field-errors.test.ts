import { UpfleetError } from "@upfleet/sdk";
import { describe, expect, it } from "vitest";
import { formErrors } from "./field-errors.ts";

const invalid = (details: { path: string; message: string }[]) =>
  new UpfleetError(400, { error: "validation_error", message: "Request validation failed", details, request_id: "r" });

describe("formErrors", () => {
  it("puts each detail on its field, nested paths on the field that holds them", () => {
    const errors = formErrors(
      invalid([
        { path: "url", message: "must be an http(s) URL" },
        { path: "http_headers.X Bad", message: "is not a header name" },
        { path: "url", message: "is too long" },
      ]),
      ["url", "http_headers", "name"],
    );
    expect(errors.fields).toEqual({
      url: "must be an http(s) URL; is too long",
      http_headers: "is not a header name",
    });
    expect(errors.general).toEqual([]);
  });

  it("keeps details on fields the form does not show, and the message with them", () => {
    const errors = formErrors(invalid([{ path: "regions.0", message: "unknown region" }]), ["name"]);
    expect(errors.fields).toEqual({});
    expect(errors.general).toEqual(["Request validation failed", "regions.0: unknown region"]);
  });

  it("chooses the longest matching field, never a prefix of another name", () => {
    const errors = formErrors(invalid([{ path: "http_keyword_negate", message: "must be a boolean" }]), [
      "http_keyword",
      "http_keyword_negate",
    ]);
    expect(errors.fields).toEqual({ http_keyword_negate: "must be a boolean" });
  });

  it("shows errors without details, and non-API errors, as a whole-form message", () => {
    expect(
      formErrors(
        new UpfleetError(401, { error: "unauthorized", message: "Wrong email or password", request_id: "r" }),
        ["email"],
      ),
    ).toEqual({
      fields: {},
      general: ["Wrong email or password"],
    });
    expect(formErrors(new TypeError("Failed to fetch"), ["email"]).general).toEqual(["Failed to fetch"]);
  });
});
