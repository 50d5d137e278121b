import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppHarness } from '../../support/app-harness';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { entries, rss, type TestEntry } from '../../support/rss';

/** One invented event as a UN office and an agency would each put it. */
const release: TestEntry = {
  title: 'UN office opens customs training centre for Central Asian officers in Almaty',
  link: 'https://news.example.org/en/story/2026/11/1161480',
  guid: 'un-1161480',
  description:
    'The UN Office on Drugs and Crime opened a customs training centre in Almaty on Saturday, where 60 officers from Kazakhstan, Kyrgyzstan and Tajikistan will study container inspection.',
  pubDate: 'Sat, 28 Nov 2026 13:00:00 GMT',
};
const agency: TestEntry = {
  title: 'UNODC customs training centre for Central Asian officers opens in Almaty',
  link: 'https://agency.example.kz/en/unodc-customs-centre-almaty_a4401230',
  guid: 'kz-4401230',
  description:
    'ALMATY. KAZINFORM – A customs training centre of the UN Office on Drugs and Crime opened in Almaty on Saturday; 60 officers from Kazakhstan, Kyrgyzstan and Tajikistan will learn container inspection there.',
  pubDate: 'Sat, 28 Nov 2026 14:10:00 GMT',
};

interface Printed {
  item: { key: string; title: string; feedId: string };
  story?: { id: string; sources: Array<{ feedId: string; link?: string; title: string }> };
  update?: boolean;
}

describe('stories in console mode', () => {
  let server: FeedServer;
  let harness: AppHarness;

  beforeEach(async () => {
    server = await startFeedServer({});
    server.setRoute('/un.xml', { body: rss(entries(2, 'un')) });
    server.setRoute('/kz.xml', { body: rss(entries(2, 'kz')) });
    harness = await AppHarness.create([
      { id: 'un', name: 'UN News', url: server.url('/un.xml') },
      { id: 'kz', name: 'Kazinform', url: server.url('/kz.xml') },
    ]);
    await harness.open();
    await harness.app!.worker.pollOnce(); // first sight of both feeds: archived, not delivered
  });
  afterEach(async () => {
    await harness?.dispose();
    await server.close();
  });

  const pollOnce = async () => (await harness.pollOnce()) as Printed[];

  it('a second feed carrying a briefed story later is one update object with the same story id, never a second briefing', async () => {
    server.setRoute('/un.xml', { body: rss([release, ...entries(2, 'un')]) });
    const [briefing, ...none] = await pollOnce();
    expect(none).toEqual([]);
    expect(briefing!.update).toBeUndefined();
    expect(briefing!.story!.sources).toEqual([
      { feedId: 'un', link: release.link, title: release.title },
    ]);

    server.setRoute('/kz.xml', { body: rss([agency, ...entries(2, 'kz')]) });
    const later = await pollOnce();
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ update: true, item: { feedId: 'kz', title: agency.title } });
    expect(later[0]!.story!.id).toBe(briefing!.story!.id);
    expect(later[0]!.story!.sources.map((s) => s.feedId)).toEqual(['un', 'kz']);

    expect(await pollOnce()).toEqual([]);
  });

  it('two feeds carrying one story in the same poll make one briefing, the other feed at most an update of it', async () => {
    server.setRoute('/un.xml', { body: rss([release, ...entries(2, 'un')]) });
    server.setRoute('/kz.xml', { body: rss([agency, ...entries(2, 'kz')]) });
    const printed = await pollOnce();
    // Whether the second feed's item is processed before or after the briefing is drained decides
    // whether the briefing lists it or an update tells it; a second briefing is never right.
    const briefings = printed.filter((p) => !p.update);
    expect(briefings).toHaveLength(1);
    expect(new Set(printed.map((p) => p.story!.id)).size).toBe(1);
    const told = new Set([
      ...briefings[0]!.story!.sources.map((s) => s.feedId),
      ...printed.filter((p) => p.update).map((p) => p.item.feedId),
    ]);
    expect([...told].sort()).toEqual(['kz', 'un']);
  });

  it('a restart keeps the record of what was briefed: a later source is still an update', async () => {
    server.setRoute('/un.xml', { body: rss([release, ...entries(2, 'un')]) });
    const [briefing] = await pollOnce();
    await harness.close();
    await harness.open();
    server.setRoute('/kz.xml', { body: rss([agency, ...entries(2, 'kz')]) });
    const later = await pollOnce();
    expect(later.map((p) => [p.update, p.story?.id])).toEqual([[true, briefing!.story!.id]]);
  });

  it('the text output tells an update as one "also reported by" line under the story headline', async () => {
    await harness.close();
    const text: string[] = [];
    await harness.open({ output: { json: false, color: false, write: (t) => text.push(t) } });
    server.setRoute('/un.xml', { body: rss([release, ...entries(2, 'un')]) });
    await harness.app!.worker.pollOnce();
    server.setRoute('/kz.xml', { body: rss([agency, ...entries(2, 'kz')]) });
    await harness.app!.worker.pollOnce();
    expect(text).toHaveLength(2);
    expect(text[1]).toBe(
      `Update: ${release.title}\nalso reported by Kazinform: ${agency.title}\n${agency.link}\n\n`,
    );
  });
});
