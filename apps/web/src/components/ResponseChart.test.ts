import { expect, it } from "vitest";
import { alignSeries } from "./ResponseChart.tsx";

it("aligns regions' points on one sorted time axis, null where a region has none", () => {
  expect(
    alignSeries([
      {
        label: "eu",
        points: [
          [20, 5],
          [10, 4],
        ],
      },
      {
        label: "us",
        points: [
          [15, 9],
          [20, null],
        ],
      },
    ]),
  ).toEqual([
    [10, 15, 20],
    [4, null, 5],
    [null, 9, null],
  ]);
});
