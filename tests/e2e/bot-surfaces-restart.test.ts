/**
 * What a Discord-native subscription keeps across a restart of the bot: crossposts waiting for
 * Discord's hourly allowance stay queued in the store, are shown in /topics, and go out after the
 * restart without any being published twice or early.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness, textOf } from '../support/bot-harness';
import { rss, type TestEntry } from '../support/rss';
import { ANNOUNCE, SURFACE_GUILD, TEXT } from '../support/surface-guild';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** Twelve unrelated energy stories (distinct words, so none is filed under another's story). */
const HEADLINES = [
  ['Offshore gas field opens near Aktau', 'Drilling crews started production at the new platform.'],
  ['Refinery in Pavlodar halts for repairs', 'Maintenance of the oil units will take three weeks.'],
  ['Coal exports by rail reach record', 'Freight wagons carried more tonnes eastward than ever.'],
  [
    'Pipeline tender attracts five bidders',
    'Construction firms from four countries submitted offers.',
  ],
  ['Tanker fleet renewal approved by parliament', 'Lawmakers voted to fund eight new oil vessels.'],
  ['Gas prices for households frozen until spring', 'The regulator kept winter tariffs unchanged.'],
  [
    'Mine safety inspection finds coal dust hazards',
    'Inspectors ordered ventilation upgrades underground.',
  ],
  ['Caspian oil terminal adds storage tanks', 'Capacity at the port grows by a fifth next year.'],
  [
    'Students build a gas digester for their school',
    'A university team built a small digester prototype.',
  ],
  [
    'Old coal power station becomes museum',
    'The turbine hall will host exhibitions about industry.',
  ],
  [
    'Gas leak detection drones tested in steppe',
    'Flying sensors patrolled two hundred kilometres daily.',
  ],
  ['Oil workers union signs wage agreement', 'Salaries rise by nine percent from January onward.'],
] as const;

function story(i: number): TestEntry {
  const [title, description] = HEADLINES[i]!;
  return {
    title,
    description,
    guid: `s-${i}`,
    link: `https://example.org/energy/${i}`,
    pubDate: new Date(bot!.clock.now().getTime() - HOUR).toUTCString(),
  };
}

const topicsText = async () =>
  textOf(await bot!.reply({ name: 'topics', guildId: SURFACE_GUILD, channelId: TEXT }));

describe('publishing across a restart', () => {
  it('crossposts beyond 10 an hour wait in the store, are shown in /topics, and go out after a restart', async () => {
    bot = await BotHarness.start({
      feeds: [{ id: 'wire', name: 'Steppe Energy Wire', path: '/wire.xml' }],
      surfaces: true,
      sharedClock: true,
    });
    bot.server.setRoute('/wire.xml', { body: rss([]) });
    await bot.poll();
    await bot.reply({
      name: 'subscribe',
      guildId: SURFACE_GUILD,
      channelId: TEXT,
      options: { topic: 'energy', channel: ANNOUNCE, publish: true },
    });
    bot.server.setRoute('/wire.xml', { body: rss(HEADLINES.map((_, i) => story(i))) });
    await bot.poll();

    const posted = bot.fake.messages(ANNOUNCE);
    expect(posted).toHaveLength(12);
    const published = () => posted.filter((m) => bot!.fake.isCrossposted(m.id)).length;
    expect(published()).toBe(10);
    expect(await topicsText()).toMatch(
      /published to followers · 2 waiting to be published \(Discord allows 10 an hour\), next <t:\d+:R>/,
    );

    await bot.restart();
    bot.clock.advance(30 * MINUTE);
    await bot.poll();
    // Still within the hour: the restarted bot knows the hour's ten and does not ask early.
    expect(published()).toBe(10);
    expect(bot.fake.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(await topicsText()).toContain('2 waiting to be published');

    bot.clock.advance(30 * MINUTE);
    await bot.poll();
    expect(published()).toBe(12);
    expect(bot.fake.messages(ANNOUNCE)).toHaveLength(12);
    expect(await topicsText()).not.toContain('waiting to be published');
  });
});
