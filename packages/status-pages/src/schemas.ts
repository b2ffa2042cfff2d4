import { isIP } from "node:net";
import { ResourceKey } from "@upfleet/db";
import { parseStored } from "@upfleet/errors";
import { z } from "zod";

/** Request bodies of the status pages routes. Strict: typos are a 400. */

/** PostgreSQL text cannot hold NUL: refused here, it would otherwise fail the query (a 500). */
const noNul = (schema: z.ZodString) => schema.refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

/** Repeats are dropped, keeping the order first given. */
const unique = <T>(list: T[]) => [...new Set(list)];

const MAX_SECTIONS = 20;
const MAX_MONITORS_PER_SECTION = 100;

/**
 * Part of a public URL. Upper case is refused rather than folded: `/status/Acme` would then be a
 * page the owner never typed, and links written with either case would look like two pages.
 */
const Slug = z
  .string()
  .min(3, "must be at least 3 characters")
  .max(60, "must be at most 60 characters")
  .refine((s) => !/[A-Z]/.test(s), "must be lower case (a-z, 0-9 and -)")
  .refine((s) => /^[a-zA-Z0-9-]*$/.test(s), "may contain only a-z, 0-9 and -");

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why a (lower-cased) custom domain is not a bare public hostname, or null if it is one. */
export function hostnameProblem(host: string): string | null {
  if (/[/:?#@\s]/.test(host)) return "must be a bare hostname (no scheme, port or path)";
  if (isIP(host)) return "must be a hostname, not an IP address";
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return "must be a hostname such as status.example.com";
  }
  // A numeric last label is no TLD: 10.1.2.300 would pass the labels yet reads as an address.
  if (/^[0-9]+$/.test(labels.at(-1)!)) return "must be a hostname, not an IP address";
  return null;
}

const CustomDomain = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((host, ctx) => {
    const problem = hostnameProblem(host);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .nullable()
  .meta({
    description:
      "A hostname of yours (CNAME it to the API) that serves this page at `/`; lower-cased. Not an IP " +
      "address, not the API's own host and not an internal name. Served only once verified (`_upfleet.<domain>` TXT record, see custom_domain_verification).",
  });

const Section = z.strictObject({
  name: noNul(z.string().trim().min(1).max(100)),
  monitor_ids: z
    .array(noNul(z.string().min(1).max(64)))
    .min(1, "must name at least one monitor")
    .max(MAX_MONITORS_PER_SECTION)
    .transform(unique)
    .meta({ description: "Monitors of your organization, in display order; any other id is a 404 naming it" }),
});

export type SectionInput = z.output<typeof Section>;

/** A page's `sections` column, read through the schema it was written with. */
export function storedSections(column: unknown): SectionInput[] {
  return parseStored(z.array(Section), column, "status page sections");
}

const fields = {
  key: ResourceKey.nullable(),
  name: noNul(z.string().trim().min(1).max(200)),
  slug: Slug.meta({ description: "The page's address, /status/<slug>: a-z, 0-9 and -, 3–60; unique (409)" }),
  custom_domain: CustomDomain,
  description: noNul(z.string().max(2000)).nullable(),
  published: z.boolean().meta({ description: "Only a published page is served publicly" }),
  sections: z
    .array(Section)
    .min(1, "must have at least one section")
    .max(MAX_SECTIONS, `must have at most ${MAX_SECTIONS} sections`),
};

export const CreatePageBody = z
  .strictObject({
    key: fields.key.default(null),
    name: fields.name,
    slug: fields.slug,
    custom_domain: fields.custom_domain.default(null),
    description: fields.description.default(null),
    published: fields.published.default(false),
    sections: fields.sections,
  })
  .meta({ id: "CreateStatusPageRequest" });

export type NewPage = z.output<typeof CreatePageBody>;

export const PatchPageBody = z
  .strictObject({
    key: fields.key.optional(),
    name: fields.name.optional(),
    slug: fields.slug.optional(),
    custom_domain: fields.custom_domain.optional(),
    description: fields.description.optional(),
    published: fields.published.optional(),
    sections: fields.sections.optional().meta({ description: "Replaces the sections" }),
  })
  .meta({ id: "UpdateStatusPageRequest" });

export type PagePatch = z.output<typeof PatchPageBody>;
