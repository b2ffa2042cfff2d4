import { expect, it } from "vitest";
import { OutputTail } from "./tail.ts";

it("keeps the last bytes across chunks", () => {
  const tail = new OutputTail(10);
  for (const chunk of ["hello ", "wide ", "world", "!"]) tail.push(Buffer.from(chunk));
  expect(tail.text()).toBe("ide world!");
});

it("starts at a whole character when the cut falls inside one", () => {
  const tail = new OutputTail(4);
  tail.push(Buffer.from("aé€")); // 1 + 2 + 3 bytes: the last 4 are é's second byte and €
  expect(tail.text()).toBe("€");
});

it("holds everything while under its limit", () => {
  const tail = new OutputTail(100);
  tail.push(Buffer.from("line 1\n"));
  tail.push(Buffer.from("line 2\n"));
  expect(tail.text()).toBe("line 1\nline 2\n");
});
