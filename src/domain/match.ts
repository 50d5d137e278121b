/** Where in an item a term was found. `description` is the feed's summary; `text` the full body. */
export type Field = 'title' | 'description' | 'text';

export interface Hit {
  /** The term or phrase as written in the query or group, e.g. "UN Counter-Terrorism Office". */
  term: string;
  field: Field;
  /** The named group the term came from (`central_asia`), when it came from one. */
  group?: string;
}

export interface Match {
  topicId: string;
  score: number;
  hits: Hit[];
}

/** The text of an item that matching reads, and what scopes (`site:`, `lang:`…) read. */
export interface MatchDoc {
  title: string;
  description: string;
  text: string;
  /** The feed's id in feeds.yaml or the guild's feed list: `feed:`. */
  feedId?: string;
  /** `site:` reads its host. */
  link?: string;
  author?: string;
  categories?: string[];
  /** As the feed declares it (`en-US`, `ru`); when absent, `lang:` detects it from the text. */
  lang?: string;
}
