import { join } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors';
import { TopicsFileSchema, type TopicsFile } from '../topics/schema';
import { FeedsFileSchema } from './feeds-file';
import type { FeedDef } from '../domain/feed';
import { loadYamlFile } from './yaml-file';

/** The operator's catalogue: what `config/feeds.yaml` and `config/topics.yaml` say, validated. */
export interface Catalog {
  feeds: FeedDef[];
  topics: TopicsFile;
}

export const feedsPath = (configDir: string) => join(configDir, 'feeds.yaml');
export const topicsPath = (configDir: string) => join(configDir, 'topics.yaml');

export const loadFeeds = async (configDir: string) =>
  (await loadYamlFile(feedsPath(configDir), FeedsFileSchema)).feeds;
export const loadTopics = (configDir: string) =>
  loadYamlFile(topicsPath(configDir), TopicsFileSchema);

/** Loads both files and reports the problems of both at once. */
export async function loadCatalog(configDir: string): Promise<Catalog> {
  const [feeds, topics] = await Promise.allSettled([loadFeeds(configDir), loadTopics(configDir)]);
  const problems: ConfigProblem[] = [];
  for (const r of [feeds, topics]) {
    if (r.status === 'rejected') {
      if (r.reason instanceof ConfigError) problems.push(...r.reason.problems);
      else throw r.reason;
    }
  }
  if (problems.length > 0 || feeds.status === 'rejected' || topics.status === 'rejected')
    throw new ConfigError(problems);
  return Object.freeze({ feeds: feeds.value, topics: topics.value });
}
