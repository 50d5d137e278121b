import { oneLine } from '../../delivery/briefing';
import { clip } from '../../delivery/discord-limits';
import { escapeMarkdown } from '../../delivery/escape-markdown';
import { relativeTime } from '../../delivery/render-discord';
import type { Subscription } from '../../store/subscriptions';
import { CROSSPOSTS_PER_HOUR, type LaneStatus } from '../../store/crosspost-lanes';
import type { TopicEntry } from '../../catalog/live-catalog';
import { DEFAULT_DIGEST_TIME } from '../../services/digest-time';
import { splitScoped } from '../../catalog/scope';
import type { ListedSubscription, SubscribeResult } from '../../services/subscriptions';
import { itemEmbeds } from './item-embeds';
import { listText, textReply, type Reply } from './reply';

/** Inline code that cannot be closed early by the text inside it. */
export const code = (text: string, max = 200) =>
  `\`${clip(oneLine(text).replace(/`/g, 'ˋ'), max)}\``;
const name = (text: string) => escapeMarkdown(oneLine(text));

export function subscriptionLine(
  s: ListedSubscription,
  topicName: (key: string) => string,
): string {
  const how =
    s.mode === 'digest' ? `digest at ${s.digestTime ?? DEFAULT_DIGEST_TIME} UTC` : 'instant';
  const parts = [
    `<#${s.channelId}> → ${code(splitScoped(s.topicId).id, 64)} ${name(topicName(s.topicId))}`,
    how,
  ];
  if (s.mentionRoleId) parts.push(`pings <@&${s.mentionRoleId}>`);
  parts.push(...surfaceParts(s));
  if (s.crossposts?.queued) parts.push(crosspostsWaiting(s.crossposts));
  if (s.paused)
    parts.push(`⏸ paused ${relativeTime(new Date(s.paused.since))}: ${name(s.paused.reason)}`);
  for (const p of s.surfacePaused ?? [])
    parts.push(`⏸ ${p.surface} paused ${relativeTime(new Date(p.since))}: ${name(p.reason)}`);
  return parts.join(' · ');
}

/** "4 waiting to be published (Discord allows 10 an hour), next <t:…:R>". */
function crosspostsWaiting(c: LaneStatus): string {
  const next = c.nextAt ? `, next ${relativeTime(c.nextAt)}` : '';
  return `${c.queued} waiting to be published (Discord allows ${CROSSPOSTS_PER_HOUR} an hour)${next}`;
}

/** How and where the subscription's briefings appear, when not as a plain card. */
function surfaceParts(s: Subscription): string[] {
  const parts: string[] = [];
  if (s.layout) parts.push(`${s.layout} layout`);
  if (s.forum) parts.push('forum posts');
  if (s.threadArchiveMinutes)
    parts.push(`thread on each (archives after ${s.threadArchiveMinutes} min)`);
  if (s.publish) parts.push('published to followers');
  if (s.webhook) {
    const who = s.webhook.name ? ` as ${code(s.webhook.name, 80)}` : '';
    parts.push(`via webhook${who}${s.webhook.avatarUrl ? ' with its avatar' : ''}`);
  }
  return parts;
}

/** /topics: every topic this server can follow with its query, and the server's subscriptions. */
export function renderTopics(
  topics: TopicEntry[],
  subs: ListedSubscription[],
  topicName: (key: string) => string,
  cardTemplate?: string,
): Reply {
  const topicLines = topics.map(
    (t) =>
      `${code(t.id, 64)} **${name(t.def.name)}** (${t.scope === 'global' ? 'global' : 'this server'}) — ${code(t.def.query, 150)}`,
  );
  const subLines = subs.map((s) => subscriptionLine(s, topicName));
  return {
    embeds: [
      {
        title: 'Topics',
        description: topicLines.length
          ? listText(topicLines, 3400)
          : 'No topics yet: `/topic add` creates one.',
      },
      {
        title: 'Subscriptions in this server',
        description: subLines.length
          ? listText(subLines, 2200)
          : 'None yet: `/subscribe` a channel to a topic.',
        ...(cardTemplate
          ? { fields: [{ name: 'Card template', value: code(cardTemplate, 1000) }] }
          : {}),
      },
    ],
    components: [],
    allowedMentions: { parse: [] },
  };
}

export function renderSubscribed(r: SubscribeResult): Reply {
  const s = r.subscription;
  const how =
    s.mode === 'digest' ? `a daily digest at ${s.digestTime} UTC` : 'each new item as it arrives';
  const verb = r.replaced ? 'now follows' : 'follows';
  const ping = s.mentionRoleId ? `, pinging <@&${s.mentionRoleId}>` : '';
  const options = surfaceParts(s);
  const shown = options.length ? ` (${options.join(', ')})` : '';
  const warnings = r.warnings.map((w) => `\n⚠️ ${name(w)}`).join('');
  const template =
    r.cardTemplate === 'set'
      ? '\nCards in this server now use your template.'
      : r.cardTemplate === 'cleared'
        ? '\nCards in this server show the plain summary again.'
        : '';
  const intro = `<#${s.channelId}> ${verb} **${name(r.topic.def.name)}** (${code(r.topic.id, 64)}): ${how}${ping}${shown}.${warnings}${template}`;
  const latest =
    r.catchUp.length > 0
      ? ' The latest items so far:'
      : ' Nothing in the archive matches it yet; new items will appear here.';
  return {
    content: clip(intro + latest, 1900),
    embeds: itemEmbeds(r.catchUp),
    components: [],
    allowedMentions: { parse: [] },
  };
}

export function renderTopicSaved(t: TopicEntry, verb: 'added' | 'updated'): Reply {
  return textReply(
    `Topic ${code(t.id, 64)} **${name(t.def.name)}** ${verb}: ${code(t.def.query, 1000)} (min score ${t.def.minScore}). \`/subscribe\` a channel to it.`,
  );
}
