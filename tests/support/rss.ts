/** Builds small RSS 2.0 documents for tests, so a test states exactly the items it is about. */
export interface TestEntry {
  title: string;
  link?: string;
  guid?: string;
  description?: string;
  pubDate?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(entries: TestEntry[], channelTitle = 'Test feed', encoding = 'UTF-8'): string {
  const items = entries
    .map(
      (e) =>
        '<item>' +
        `<title>${esc(e.title)}</title>` +
        (e.link ? `<link>${esc(e.link)}</link>` : '') +
        (e.guid ? `<guid isPermaLink="false">${esc(e.guid)}</guid>` : '') +
        (e.description ? `<description>${esc(e.description)}</description>` : '') +
        (e.pubDate ? `<pubDate>${e.pubDate}</pubDate>` : '') +
        '</item>',
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${esc(channelTitle)}</title><link>https://example.org/</link>
${items}
</channel></rss>`;
}

/** `n` distinct entries dated one hour apart, newest first, ending at `latest`. */
export function entries(
  n: number,
  prefix = 'story',
  latest = Date.parse('2026-11-28T12:00:00Z'),
): TestEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `${prefix} number ${i + 1}`,
    link: `https://example.org/${prefix}/${i + 1}`,
    guid: `${prefix}-${i + 1}`,
    description: `The ${prefix} ${i + 1} happened.`,
    pubDate: new Date(latest - i * 3_600_000).toUTCString(),
  }));
}
