import { expect } from "vitest";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Checks that `b` takes about as long as `a` (median ratio within 0.5–2), so the answer's timing does
 * not tell the two cases apart. Round `i` runs `a(i)` then `b(i)`, interleaved so a slow patch of the
 * machine weighs on both sides; the first round only warms up.
 */
export async function expectSameTiming(
  rounds: number,
  a: { name: string; run: (i: number) => Promise<void> },
  b: { name: string; run: (i: number) => Promise<void> },
): Promise<void> {
  const timed = async (run: (i: number) => Promise<void>, i: number) => {
    const started = performance.now();
    await run(i);
    return performance.now() - started;
  };
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const [ta, tb] = [await timed(a.run, i), await timed(b.run, i)];
    if (i === 0) continue;
    aTimes.push(ta);
    bTimes.push(tb);
  }
  const ratio = median(bTimes) / median(aTimes);
  expect(ratio, `${b.name} ${median(bTimes)} ms vs ${a.name} ${median(aTimes)} ms`).toBeGreaterThan(0.5);
  expect(ratio).toBeLessThan(2);
}
