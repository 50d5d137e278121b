/** Every slash command, in the order they are registered; the router checks each at start. */
import * as briefing from './briefing';
import * as feed from './feed';
import * as subscribe from './subscribe';
import * as topic from './topic';
import * as topics from './topics';
import * as unsubscribe from './unsubscribe';

export const commandModules = [
  { command: briefing.command, where: 'commands/briefing.ts' },
  { command: subscribe.command, where: 'commands/subscribe.ts' },
  { command: unsubscribe.command, where: 'commands/unsubscribe.ts' },
  { command: topics.command, where: 'commands/topics.ts' },
  { command: topic.command, where: 'commands/topic.ts' },
  { command: feed.command, where: 'commands/feed.ts' },
];
