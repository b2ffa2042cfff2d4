import type { ReactNode } from "react";

/**
 * A wide table's sideways scroller on a narrow screen. It takes keyboard focus so it can be scrolled
 * without a mouse even when nothing inside is focusable (axe's scrollable-region-focusable).
 */
export function ScrollX({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className="scroll-x" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
