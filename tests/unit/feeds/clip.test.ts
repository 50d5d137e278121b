import { describe, expect, it } from 'vitest';
import { clipEntry, clipText, FIELD_LIMITS } from '../../../src/feeds/clip';
import { normalizeFeed } from '../../../src/feeds/normalize';

describe('clipText', () => {
  it('leaves text within the limit as it is', () => {
    expect(clipText('a short headline', 100)).toBe('a short headline');
  });
  it('cuts at a space near the limit and says so with an ellipsis', () => {
    expect(clipText('water talks resume in Bishkek', 20)).toBe('water talks resume…');
  });
  it('cuts a run without spaces at the limit itself', () => {
    expect(clipText('x'.repeat(1_000), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('a huge field costs no more than a news item', () => {
  const huge = 'officials met again. '.repeat(400_000);
  it('clips every field of an entry to its limit', () => {
    const entry = clipEntry({
      title: huge,
      summaryHtml: huge,
      contentHtml: huge,
      author: huge,
      guid: huge,
      link: huge,
      categories: Array.from({ length: 1_000 }, () => huge),
      published: huge,
    });
    expect(entry.title!.length).toBeLessThanOrEqual(FIELD_LIMITS.title + 1);
    expect(entry.summaryHtml!.length).toBeLessThanOrEqual(FIELD_LIMITS.summaryHtml + 1);
    expect(entry.contentHtml!.length).toBeLessThanOrEqual(FIELD_LIMITS.contentHtml + 1);
    expect(entry.author!.length).toBeLessThanOrEqual(FIELD_LIMITS.author + 1);
    expect(entry.guid!.length).toBeLessThanOrEqual(FIELD_LIMITS.guid + 1);
    expect(entry.categories).toHaveLength(FIELD_LIMITS.categories);
    expect(entry.published!.length).toBeLessThanOrEqual(FIELD_LIMITS.date + 1);
  });
  it('normalisation archives the clipped text, not the whole field', () => {
    const [item] = normalizeFeed(
      {
        parser: 'rss-parser',
        entries: [{ title: 'Talks', summaryHtml: `<p>${huge}</p>`, categories: [] }],
      },
      { feedId: 'f', fetchedAt: new Date('2026-12-01T00:00:00Z') },
    );
    expect(item!.description.length).toBeLessThanOrEqual(FIELD_LIMITS.summaryHtml);
    expect(item!.description).toMatch(/^officials met again\. .*…$/s);
    expect(item!.text).toBe(item!.description);
  });
});
