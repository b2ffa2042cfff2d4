import type { Db } from "@upfleet/db";
import { renderBadge } from "./badge.ts";
import { TtlCache } from "./cache.ts";
import { dailyUptimeOf } from "./uptime.ts";
import { buildView, type PublicView } from "./view.ts";

const PAGE_FIELDS = { organizationId: true, name: true, slug: true, description: true, sections: true } as const;

export const BADGE_DAYS = 30;

export interface PublicPagesOptions {
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * The public side of status pages, cached in process for a few seconds (HTTP caches in front hold
 * them longer): a page, the page a custom domain serves, a badge. Only published pages exist here.
 */
export class PublicPages {
  /** Which slugs are published pages: cheap, so unknown slugs churn this, not the built views. */
  private readonly published: TtlCache<string, boolean>;
  private readonly views: TtlCache<string, PublicView | null>;
  private readonly domains: TtlCache<string, string | null>;
  private readonly badges: TtlCache<string, string>;

  constructor(
    private readonly db: Db,
    { ttlMs = 15_000, maxEntries = 1000 }: PublicPagesOptions = {},
  ) {
    this.published = new TtlCache(ttlMs, maxEntries);
    this.views = new TtlCache(ttlMs, maxEntries);
    this.domains = new TtlCache(ttlMs, maxEntries);
    this.badges = new TtlCache(ttlMs, maxEntries);
  }

  /** The published page at this slug, or null. */
  async view(slug: string): Promise<PublicView | null> {
    const exists = await this.published.get(
      slug,
      async () => (await this.db.statusPage.count({ where: { slug, published: true } })) > 0,
    );
    if (!exists) return null;
    return this.views.get(slug, async () => {
      const page = await this.db.statusPage.findFirst({ where: { slug, published: true }, select: PAGE_FIELDS });
      return page && buildView(this.db, page);
    });
  }

  /** The slug of the published page this (lower-case) hostname serves, or null. */
  slugForDomain(host: string): Promise<string | null> {
    return this.domains.get(host, async () => {
      const page = await this.db.statusPage.findFirst({
        // Only a verified claim serves: anyone may claim a domain, only its owner can publish the TXT record.
        where: { customDomain: host, customDomainVerifiedAt: { not: null }, published: true },
        select: { slug: true },
      });
      return page?.slug ?? null;
    });
  }

  /**
   * The badge SVG of a monitor the published page shows, or null (unknown page, or not on it). Only
   * listed monitors' badges are kept, so requests for other ids cannot push them out.
   */
  async badge(slug: string, monitorId: string): Promise<string | null> {
    const view = await this.view(slug);
    const listed = view?.sections.some((section) => section.components.some((c) => c.id === monitorId));
    if (!listed) return null;
    return this.badges.get(`${slug}\n${monitorId}`, async () => {
      const figures = await dailyUptimeOf(this.db, [monitorId], BADGE_DAYS);
      return renderBadge(figures.get(monitorId)?.uptime ?? null);
    });
  }

  /** After a write through this process: its own readers see the change at once, not 15 s later. */
  forget(): void {
    this.published.clear();
    this.views.clear();
    this.domains.clear();
    this.badges.clear();
  }
}
