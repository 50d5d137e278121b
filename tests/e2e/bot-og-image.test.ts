/**
 * OG_IMAGE in Discord mode: an operator feed's item without a picture is posted with its article
 * page's og:image as the embed's thumbnail.
 */
import { afterEach, expect, it } from 'vitest';
import { BotHarness, NEWS } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';

const PICTURE = 'https://cdn.energy-wire.example.org/pipeline-route.jpg';

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

it('posts a briefing with its article page’s og:image as the embed thumbnail', async () => {
  bot = await BotHarness.start({
    feeds: [{ id: 'news', name: 'Energy Wire', path: '/news.xml' }],
    env: { OG_IMAGE: '1' },
  });
  const b = bot;
  const entry = (id: string, title: string): TestEntry => ({
    title,
    guid: id,
    link: b.server.url(`/articles/${id}`),
    pubDate: new Date(b.clock.now().getTime() - 3_600_000).toUTCString(),
  });
  b.server.setRoute('/articles/deal', {
    contentType: 'text/html; charset=utf-8',
    body: `<html><head><meta property="og:image" content="${PICTURE}"></head><body>Deal</body></html>`,
  });
  b.server.setRoute('/news.xml', { body: rss([entry('old', 'Gas prices steady')]) });
  await b.poll(); // first sight: archived, not posted, and no page read
  await b.reply({ name: 'subscribe', options: { topic: 'energy' } });

  b.server.setRoute('/news.xml', {
    body: rss([entry('deal', 'Pipeline deal signed in Baku'), entry('old', 'Gas prices steady')]),
  });
  await b.poll();
  const [posted] = await b.fake.waitForMessages(NEWS, 1);
  expect(posted!.body.embeds![0]).toMatchObject({
    title: 'Pipeline deal signed in Baku',
    thumbnail: { url: PICTURE },
  });
  expect(
    b.server
      .requests()
      .filter((r) => r.url.startsWith('/articles/'))
      .map((r) => r.url),
  ).toEqual(['/articles/deal']);
});
