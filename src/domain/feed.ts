/** A feed as the operator (config/feeds.yaml) or a guild admin (`/feed add`) defined it. */
export interface FeedDef {
  /** `[a-z0-9-]`; a guild's feeds are stored as `<guildId>_<id>`. */
  id: string;
  /** http(s), or (trusted feeds only) a local file path. */
  url: string;
  /** Shown as the source. */
  name?: string;
  /** Milliseconds between polls. */
  interval: number;
  /** Items to deliver on first sight (the rest of the backlog is only archived). */
  backfill: number;
}

/**
 * Who vouches for a feed's URL, which decides what the fetcher lets it reach. 'trusted': the
 * operator's config/feeds.yaml (localhost, private addresses and local files allowed, e.g. a
 * self-hosted RSSHub); 'untrusted': added by a guild admin, fetched through the SSRF guard.
 * A security setting, so it has no default: every feed and every fetch states it.
 */
export type Trust = 'trusted' | 'untrusted';

/** A feed to poll, with the trust its origin gives it. */
export type PolledFeed = FeedDef & { trust: Trust };
