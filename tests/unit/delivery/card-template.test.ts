import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardTemplateProblems } from '../../../src/delivery/card-template';
import { messageProblems } from '../../../src/delivery/discord-limits';
import { renderDiscordMessage } from '../../../src/delivery/render-discord';
import { hostileBriefing, makeBriefing } from './make-briefing';

describe('card templates', () => {
  it('fills every placeholder with the briefing, escaped, keeping the admin’s own markdown', () => {
    const template =
      '**{source}** · {published}\n{summary}\n-# {topics}: {why}\n{link}\n{title} {{literal}}';
    expect(cardTemplateProblems(template)).toEqual([]);
    const b = makeBriefing({ item: { title: 'Gas_price *rise*' } });
    const description = renderDiscordMessage(b, { template }).embeds?.[0]?.description;
    expect(description).toBe(
      [
        '**Trend — Central Asia** · <t:1634274720:R>',
        'Turkmenistan and UN discussed strategic cooperation in a wide range of areas, Trend reports.',
        '-# Central Asia security: UN Counter-Terrorism Office · Turkmenistan',
        'https://en.trend.az/centralasia/turkmenistan/3495081.html',
        'Gas\\_price \\*rise\\* {literal}',
      ].join('\n'),
    );
  });

  it.each([
    ['', ['the template is empty']],
    ['{headline} {summary}', ['{headline} is not a placeholder']],
    ['{summary} }', ['a lone "}" at character 11 (write {{ or }} for a brace)']],
  ])('refuses %j, saying why', (template, expected) => {
    const problems = cardTemplateProblems(template);
    for (const problem of expected) expect(problems).toContain(problem);
  });

  it('names the placeholders when one is unknown', () => {
    expect(cardTemplateProblems('{headline}').join('\n')).toContain(
      '{title} {summary} {source} {link} {published} {topics} {why}',
    );
  });

  it('refuses a template that could outgrow the card once filled in, when it is set', () => {
    const problems = cardTemplateProblems(`${'{link} '.repeat(2)}${'x'.repeat(100)}`);
    expect(problems).toEqual([expect.stringContaining('can reach 4198 characters')]);
    expect(cardTemplateProblems(`{why}\n{link}\n{summary}`)).toEqual([]);
  });

  it('a template that passed fits any briefing within Discord’s limits', () => {
    const template =
      '{title}\n{summary}\n{summary}\n{why} · {topics} · {source} {link} {published}';
    expect(cardTemplateProblems(template)).toEqual([]);
    fc.assert(
      fc.property(hostileBriefing({ maxTopics: 5 }), (b) => {
        expect(messageProblems(renderDiscordMessage(b, { template }))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
