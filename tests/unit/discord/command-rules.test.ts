import { loadCommands } from '../../../main';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../src/cli/deploy-commands';
import { commandModules } from '../../../commands/index';
import { checkCommand } from '../../../src/discord/command';
import { commandProblems, commandSetProblems } from '../../../src/discord/command-rules';
import { bulkCommandErrors } from '../../support/fake-discord/limits';

type Body = Parameters<typeof commandProblems>[0];
const long = (n: number) => 'x'.repeat(n);
const str = (name: string, extra: object = {}) => ({
  type: 3,
  name,
  description: 'd',
  max_length: 10,
  ...extra,
});

describe('the slash command definitions', () => {
  it("every command module passes Discord's rules and ours", async () => {
    const body = commandDefinitions(await loadCommands());
    expect(body.map((c) => c.name)).toEqual([
      'briefing',
      'subscribe',
      'unsubscribe',
      'topics',
      'topic',
      'feed',
    ]);
    expect(commandSetProblems(body)).toEqual([]);
    // The fake Discord's own validation (what deploy would meet) agrees.
    expect(bulkCommandErrors(body).empty).toBe(true);
  });

  it('every command module has the shape the router expects', () => {
    for (const m of commandModules) expect(() => checkCommand(m.command, m.where)).not.toThrow();
  });

  it.each([
    {
      rule: 'an uppercase name',
      body: { name: 'Briefing', description: 'd' },
      problem: /name "Briefing"/,
    },
    {
      rule: 'a name with a space',
      body: { name: 'my briefing', description: 'd' },
      problem: /name "my briefing"/,
    },
    {
      rule: 'a 33-character name',
      body: { name: long(33), description: 'd' },
      problem: /must be 1-32/,
    },
    {
      rule: 'an empty description',
      body: { name: 'b', description: '' },
      problem: /description must be 1-100 characters \(is 0\)/,
    },
    {
      rule: 'a 101-character description',
      body: { name: 'b', description: long(101) },
      problem: /is 101/,
    },
    {
      rule: '26 options',
      body: {
        name: 'b',
        description: 'd',
        options: Array.from({ length: 26 }, (_, n) => str(`o${n}`)),
      },
      problem: /26 options \(max 25\)/,
    },
    {
      rule: '26 choices',
      body: {
        name: 'b',
        description: 'd',
        options: [
          {
            type: 3,
            name: 'o',
            description: 'd',
            choices: Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `c${n}` })),
          },
        ],
      },
      problem: /26 choices/,
    },
    {
      rule: 'a required option after an optional one',
      body: { name: 'b', description: 'd', options: [str('a'), str('z', { required: true })] },
      problem: /required options must come before/,
    },
    {
      rule: 'a string option without a length cap',
      body: { name: 'b', description: 'd', options: [{ type: 3, name: 'q', description: 'd' }] },
      problem: /must set a maximum length/,
    },
    {
      rule: 'more than 8000 characters',
      body: {
        name: 'b',
        description: 'd',
        options: Array.from({ length: 25 }, (_, n) => ({
          type: 3,
          name: `o${n}`,
          description: long(100),
          choices: Array.from({ length: 25 }, (_, c) => ({
            name: `${long(90)}${c}`,
            value: `v${c}`,
          })),
        })),
      },
      problem: /characters in total \(max 8000\)/,
    },
    {
      rule: 'a bad name inside a subcommand',
      body: {
        name: 'b',
        description: 'd',
        options: [{ type: 1, name: 'Add', description: 'd', options: [] }],
      },
      problem: /\/b Add: name "Add"/,
    },
  ])('refuses $rule', ({ body, problem }) => {
    const problems = commandProblems(body as Body);
    expect(problems.join('\n')).toMatch(problem);
    expect(bulkCommandErrors([body]).empty).toBe(problem.source.includes('maximum length'));
  });

  it('refuses two commands with the same name', () => {
    expect(
      commandSetProblems([
        { name: 'a', description: 'd' },
        { name: 'a', description: 'e' },
      ]),
    ).toEqual(['/a: defined twice']);
  });

  it('refuses a module without execute, loudly and by file', () => {
    expect(() =>
      checkCommand({ data: { name: 'x', toJSON: () => ({}) } }, 'commands/x.ts'),
    ).toThrow('Command module commands/x.ts `execute` is not a function');
    expect(() => checkCommand(undefined, 'commands/y.ts')).toThrow(
      'commands/y.ts exports no `command`',
    );
  });
});
