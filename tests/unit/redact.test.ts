import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, secretsOf } from '../../src/redact';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJk3L.q8vX2mN5pR7tW0yZ4bC6dF9gH1jK3lM5nP7rS9u';

describe('the redactor', () => {
  const redact = createRedactor(
    secretsOf({
      DISCORD_TOKEN: TOKEN,
      STORE_URL: 'redis://:p%40ss%2Fword@127.0.0.1:6379/0',
      QUEUE_URL: 'redis://:queue-s3cret@127.0.0.1:6380/0',
    }),
  );
  it.each([
    ['the whole token', `401: you sent Bot ${TOKEN}`, `401: you sent Bot ${REDACTED}`],
    ['the signature part alone', `sig=${TOKEN.split('.')[2]}`, `sig=${REDACTED}`],
    ['the store password, encoded', 'auth p%40ss%2Fword refused', `auth ${REDACTED} refused`],
    ['the store password, decoded', 'WRONGPASS p@ss/word', `WRONGPASS ${REDACTED}`],
    ['the job queue password', 'WRONGPASS queue-s3cret', `WRONGPASS ${REDACTED}`],
    [
      'a password in any URL',
      'proxy http://me:hunter22@10.0.0.1/ failed',
      'proxy http://me:***@10.0.0.1/ failed',
    ],
    ['nothing in ordinary text', 'feed polled: 3 new items', 'feed polled: 3 new items'],
  ])('hides %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});
