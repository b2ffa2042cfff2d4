import { describe, expect, it } from "vitest";
import { Periodic } from "./periodic.ts";

describe("Periodic", () => {
  it("runs at start and on its timer, never two passes at once, and reports failures without stopping", async () => {
    let passes = 0;
    let concurrent = 0;
    let most = 0;
    const errors: unknown[] = [];
    const periodic = new Periodic(
      async () => {
        passes++;
        concurrent++;
        most = Math.max(most, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 30));
        concurrent--;
        if (passes === 2) throw new Error("boom");
      },
      10,
      (error) => errors.push(error),
    );
    periodic.start();
    // Joined while the first pass runs.
    await Promise.all([periodic.pass(), periodic.pass()]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await periodic.stop();
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(after);
    expect(passes).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
