import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { avatarUrlProblem, webhookNameProblems } from '../../../src/services/surface-rules';
import { WebhookCredentials } from '../../../src/discord/webhook-identity';

describe('webhook identity rules', () => {
  it.each([
    ['Energy desk', []],
    ['x'.repeat(80), []],
    ['', ['the name must be 1 to 80 characters (it is 0)']],
    ['x'.repeat(81), ['the name must be 1 to 80 characters (it is 81)']],
    ['Discord Energy', ['the name may not contain "discord"']],
    ['ClydeWatch', ['the name may not contain "clyde"']],
  ])('the name %j: %j', (name, problems) => {
    expect(webhookNameProblems(name)).toEqual(problems);
  });

  it.each([
    ['https://example.org/desk.png', undefined],
    ['http://example.org/desk.png', 'the avatar URL must use https'],
    ['https://user:pw@example.org/a.png', expect.stringContaining('without a user name')],
    ['javascript:alert(1)', expect.stringContaining('http(s) URL')],
    ['desk.png', expect.stringContaining('http(s) URL')],
  ])('the avatar %j', (url, problem) => {
    expect(avatarUrlProblem(url)).toEqual(problem);
  });

  it('a webhook token shows nowhere but where it is used', () => {
    const hook = new WebhookCredentials('123', 'very-secret-token');
    for (const shown of [JSON.stringify({ hook }), String(hook), inspect({ hook }), `${hook}`])
      expect(shown).not.toContain('very-secret-token');
    expect(hook.executeRoute()).toBe('/webhooks/123/very-secret-token');
  });

  it('hides the token in text that quotes it, such as an error about the execute URL', () => {
    const hook = new WebhookCredentials('123', 'very-secret-token');
    expect(hook.hide('400: bad (POST /api/v10/webhooks/123/very-secret-token?wait=true)')).toBe(
      '400: bad (POST /api/v10/webhooks/123/[redacted]?wait=true)',
    );
  });
});
