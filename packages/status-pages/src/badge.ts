/** A shields.io-style "uptime | 99.95%" badge, coloured by the value. */

const COLOURS: [min: number, colour: string][] = [
  [99.9, "#4c1"],
  [99, "#97ca00"],
  [97, "#dfb317"],
  [95, "#fe7d37"],
  [0, "#e05d44"],
];
const NO_DATA = "#9f9f9f";

export function badgeColour(percent: number | null): string {
  if (percent === null) return NO_DATA;
  return COLOURS.find(([min]) => percent >= min)![1];
}

/** Verdana 11px averages about 7 px a character; shields pads each side with 5 px. */
const textWidth = (text: string) => Math.round(text.length * 7 + 10);

/** The SVG; its only variable text is a number, so nothing from a user ever reaches it. */
export function renderBadge(percent: number | null): string {
  const label = "uptime";
  const value = percent === null ? "no data" : `${percent}%`;
  const lw = textWidth(label);
  const vw = textWidth(value);
  const width = lw + vw;
  const colour = badgeColour(percent);
  const text = (x: number, content: string) =>
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3">${content}</text><text x="${x}" y="14">${content}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${value}">`,
    `<title>${label}: ${value}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${colour}"/><rect width="${width}" height="20" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`,
    text(lw / 2, label),
    text(lw + vw / 2, value),
    "</g></svg>",
  ].join("");
}
