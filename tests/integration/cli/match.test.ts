/**
 * `briefing match --explain` as a user runs it: the real CLI in a child process, on a feed file.
 */
import { describe, it } from 'vitest';
import { runBriefing } from '../../support/cli-once';

const FEED = 'tests/fixtures/topics/near-miss.rss';

const cli = (...args: string[]) => runBriefing(args);

describe('briefing match --explain', () => {
  it('explains clause by clause why a topic missed an item, NEAR distance included', async ({
    expect,
  }) => {
    const run = await cli('match', FEED, '--explain');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '  ✗ un-ct-central-asia: @un_ct: not found · @un NEAR/paragraph @counter_terrorism: UN … terrorism: 1 paragraph apart; NEAR/paragraph needs one paragraph · @returnees: not found',
    );
    expect(lines).toContain('            ✓ @un: UN');
    expect(lines).toContain('          ✓ @central_asia: Central Asian, Kazakhstan, Almaty');
  });

  it('puts the misses in the JSON record too, and nothing of them without --explain', async ({
    expect,
  }) => {
    const [explained, plain] = await Promise.all([
      cli('match', FEED, '--json', '--explain'),
      cli('match', FEED, '--json'),
    ]);
    expect(JSON.parse(explained.stdout).misses).toEqual([
      expect.objectContaining({
        id: 'un-ct-central-asia',
        why: expect.stringContaining('1 paragraph apart'),
      }),
    ]);
    expect(JSON.parse(plain.stdout).misses).toBeUndefined();
  });
});
