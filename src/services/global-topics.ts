/**
 * Global topics are the operator's (config/topics.yaml). The users in OWNER_IDS may edit them from
 * Discord; the edit is written into the file, so it stays the one source of global topics.
 */
import type { LiveCatalog, TopicEntry } from '../catalog/live-catalog';
import type { TopicsFileEditor } from '../config/topics-file-editor';
import { UserError } from '../errors';
import { type TopicInput, topicChange } from './topic-input';
import { checkTopicQuery } from './validate';

export interface GlobalTopicsDeps {
  catalog: LiveCatalog;
  /** OWNER_IDS: the operator, who alone may change global topics. */
  ownerIds: readonly string[];
  /** Writes an owner's edit of a global topic to config/topics.yaml. */
  topicsFile: TopicsFileEditor;
}

export function createGlobalTopics(deps: GlobalTopicsDeps) {
  return {
    /** Throws unless `userId` is one of the operator's. */
    ensureOwner(entry: TopicEntry, userId: string): void {
      if (!deps.ownerIds.includes(userId))
        throw new UserError(
          `\`${entry.id}\` is a global topic; only the bot's operator can change it.`,
        );
    },
    /** Validates the change, writes it into the file and puts it in force at once. */
    async edit(entry: TopicEntry, input: TopicInput): Promise<void> {
      const change = topicChange(input);
      checkTopicQuery({ ...entry.def, ...change }, deps.catalog.groups());
      deps.catalog.setGlobalTopics(await deps.topicsFile.edit(entry.id, change));
    },
  };
}
