import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppHarness } from '../../support/app-harness';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { entries, rss } from '../../support/rss';
import { dayItems } from '../../support/archive-day';

describe('the polling pipeline on the embedded store', () => {
  let server: FeedServer;
  let harness: AppHarness;

  beforeEach(async () => {
    server = await startFeedServer({});
  });
  afterEach(async () => {
    await harness?.dispose();
    await server.close();
  });

  async function pollOnce() {
    harness.outcomes.length = 0;
    const before = harness.briefings().length;
    await harness.app!.worker.pollOnce();
    return harness.briefings().slice(before);
  }

  it('the first poll archives a feed without delivering, and a new item is then delivered exactly once', async () => {
    const first = entries(3);
    server.setRoute('/news.xml', { body: rss(first) });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/news.xml') }]);
    await harness.open();

    expect(await pollOnce()).toEqual([]);
    const archived = await dayItems(harness.app!.stores.archive, '2026-11-28');
    expect(archived).toHaveLength(3);

    const fresh = {
      title: 'A brand new story',
      link: 'https://example.org/new',
      guid: 'new-1',
      pubDate: 'Sat, 28 Nov 2026 13:00:00 GMT',
    };
    server.setRoute('/news.xml', { body: rss([fresh, ...first]) });
    const delivered = await pollOnce();
    expect(delivered.map((b) => b.item.title)).toEqual(['A brand new story']);
    expect(delivered[0]!.item).toMatchObject({ link: 'https://example.org/new', feedId: 'news' });

    expect(await pollOnce()).toEqual([]);
  });

  it('a restart delivers nothing again and keeps the archive', async () => {
    server.setRoute('/news.xml', { body: rss(entries(2)) });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/news.xml') }]);
    await harness.open();
    await pollOnce();
    server.setRoute('/news.xml', {
      body: rss([
        { title: 'Late story', link: 'https://example.org/late', guid: 'late' },
        ...entries(2),
      ]),
    });
    expect((await pollOnce()).map((b) => b.item.title)).toEqual(['Late story']);

    await harness.close();
    await harness.open();
    expect(await pollOnce()).toEqual([]);
    expect(harness.outcomes.map((o) => o.kind)).toEqual(['ok']);
  });

  it('an unchanged feed is asked with its validators and answers 304, delivering nothing', async () => {
    server.setRoute('/news.xml', { body: rss(entries(2)), etag: '"v1"' });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/news.xml') }]);
    await harness.open();
    await pollOnce();
    expect(await pollOnce()).toEqual([]);
    expect(harness.outcomes.map((o) => o.kind)).toEqual(['not-modified']);
    expect(server.requests('/news.xml').at(-1)!.headers['if-none-match']).toBe('"v1"');
  });

  it('a feed that rewrites every guid, or re-dates every item, posts nothing again', async () => {
    const items = entries(4);
    server.setRoute('/news.xml', { body: rss(items) });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/news.xml') }]);
    await harness.open();
    await pollOnce();

    server.setRoute('/news.xml', { body: rss(items.map((e) => ({ ...e, guid: `${e.guid}-v2` }))) });
    expect(await pollOnce()).toEqual([]);
    server.setRoute('/news.xml', {
      body: rss(items.map((e) => ({ ...e, pubDate: 'Sun, 29 Nov 2026 01:00:00 GMT' }))),
    });
    expect(await pollOnce()).toEqual([]);
  });

  it('backfill delivers the newest N items on first sight', async () => {
    server.setRoute('/news.xml', { body: rss(entries(5)) });
    harness = await AppHarness.create([{ id: 'news', url: server.url('/news.xml'), backfill: 2 }]);
    await harness.open();
    expect((await pollOnce()).map((b) => b.item.title)).toEqual([
      'story number 1',
      'story number 2',
    ]);
  });

  it('reads a windows-1251 feed declared only in its XML prolog', async () => {
    const xml = rss(
      [
        {
          title: 'Туркменистан и ООН обсудили сотрудничество',
          link: 'https://example.org/ru/1',
          guid: 'ru-1',
        },
      ],
      'Новости',
      'windows-1251',
    );
    server.setRoute('/ru.xml', {
      body: Buffer.from(new TextEncoder1251().encode(xml)),
      contentType: 'application/rss+xml',
    });
    harness = await AppHarness.create([{ id: 'ru', url: server.url('/ru.xml'), backfill: 1 }]);
    await harness.open();
    expect((await pollOnce()).map((b) => b.item.title)).toEqual([
      'Туркменистан и ООН обсудили сотрудничество',
    ]);
  });

  it('a broken or hanging feed does not hold back the others', async () => {
    server.setRoute('/good.xml', { body: rss(entries(1)) });
    server.setRoute('/broken.xml', {
      body: '<html><body>Maintenance</body></html>',
      contentType: 'text/html',
    });
    server.setRoute('/hang.xml', { hang: true });
    harness = await AppHarness.create([
      { id: 'hang', url: server.url('/hang.xml'), backfill: 1 },
      { id: 'broken', url: server.url('/broken.xml'), backfill: 1 },
      { id: 'good', url: server.url('/good.xml'), backfill: 1 },
    ]);
    await harness.open({}, { FETCH_TIMEOUT_SECONDS: '1' });
    const delivered = await pollOnce();
    expect(delivered.map((b) => b.item.feedId)).toEqual(['good']);
    const byUrl = new Map(harness.outcomes.map((o) => [o.url, o]));
    expect(byUrl.get(server.url('/good.xml'))?.kind).toBe('ok');
    // The good feed finished before the hanging one gave up.
    expect(harness.outcomes.at(-1)?.url).toBe(server.url('/hang.xml'));
    const broken = byUrl.get(server.url('/broken.xml'));
    expect(broken?.kind === 'failed' && broken.error.message).toMatch(
      /not a feed: got an HTML page/,
    );
    const state = await harness.app!.stores.feedState.fetchState(server.url('/hang.xml'));
    expect(state.failures).toBe(1);
    expect(Date.parse(state.nextFetchAt!)).toBeGreaterThan(Date.now());
  });

  it('a URL shared by two feeds is fetched once per round', async () => {
    server.setRoute('/shared.xml', { body: rss(entries(2)) });
    harness = await AppHarness.create([
      { id: 'one', url: server.url('/shared.xml') },
      { id: 'two', url: server.url('/shared.xml'), backfill: 1 },
    ]);
    await harness.open();
    expect((await pollOnce()).map((b) => b.item.feedId)).toEqual(['two']);
    expect(server.requests('/shared.xml')).toHaveLength(1);
  });
});

/** windows-1251 encoder for the Cyrillic and ASCII test text (TextEncoder only writes UTF-8). */
class TextEncoder1251 {
  encode(text: string): Uint8Array {
    const decoder = new TextDecoder('windows-1251');
    const table = new Map<string, number>();
    for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
    return Uint8Array.from([...text].map((ch) => table.get(ch) ?? 0x3f));
  }
}
