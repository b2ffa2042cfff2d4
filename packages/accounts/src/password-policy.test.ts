import { describe, expect, it } from "vitest";
import { assertAcceptablePassword, passwordProblem } from "./password-policy.ts";

describe("passwordProblem", () => {
  it("refuses passwords that are only whitespace", () => {
    expect(passwordProblem(" ".repeat(10))).toMatch(/whitespace/);
    expect(passwordProblem("\t \n".repeat(4))).toMatch(/whitespace/);
  });

  it("refuses one character repeated, whatever its case", () => {
    expect(passwordProblem("aaaaaaaaaa")).toMatch(/repeated/);
    expect(passwordProblem("aAaAaAaAaA")).toMatch(/repeated/);
    expect(passwordProblem("😀".repeat(10))).toMatch(/repeated/);
  });

  it("refuses common passwords, case-insensitively and around spaces", () => {
    for (const password of ["password12", "PASSWORD12", "PassWord12", "1234567890", "qwertyuiop", " password12 "]) {
      expect(passwordProblem(password), password).toMatch(/common/);
    }
  });

  it("accepts everything else, including the passwords the tests and benches use", () => {
    for (const password of ["correct horse battery", "long enough password", "bench password 123", "aaaaaaaaab"]) {
      expect(passwordProblem(password), password).toBeNull();
    }
  });

  it("is a validation error naming password for the services", () => {
    expect(() => assertAcceptablePassword("password12")).toThrow(
      expect.objectContaining({ code: "validation_error", details: [expect.objectContaining({ path: "password" })] }),
    );
    expect(() => assertAcceptablePassword("correct horse battery")).not.toThrow();
  });
});
