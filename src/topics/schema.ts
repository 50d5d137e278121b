/**
 * config/topics.yaml: named term groups shared by all topics, and the topics. Validation parses
 * every query and every group entry and checks each @group exists, so a topic that loads compiles.
 */
import { z } from 'zod';
import { QueryError } from '../errors';
import { groupRefs, type QueryNode } from './ast';
import { parseGroupEntry, parseQuery } from './query-parser';

/**
 * A matched topic with a lower score is not reported. 2 means a title hit, or two different terms
 * in the body; see score.ts.
 */
export const DEFAULT_MIN_SCORE = 2;

const GROUP_NAME = /^[a-z][a-z0-9_]*$/;

export const TopicDefSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes')
      .max(64),
    name: z.string().min(1).max(100),
    /** Its length and nesting are limited by the parser (MAX_QUERY_LENGTH, MAX_DEPTH). */
    query: z.string().min(1),
    /** @default 2 */
    minScore: z.number().nonnegative().default(DEFAULT_MIN_SCORE),
    description: z.string().max(1000).optional(),
  })
  .strict();
export type TopicDef = z.infer<typeof TopicDefSchema>;

/** Group name → entries, each a term or phrase in query form: `UNOCT`, `Counter-Terrorism Office`, `terror*`. */
const GroupsSchema = z.record(
  z.string().regex(GROUP_NAME, 'group names are lowercase letters, digits and _'),
  z.array(z.string().min(1).max(200)).min(1, 'a group needs at least one entry'),
);
export type Groups = z.infer<typeof GroupsSchema>;

const caret = (e: unknown) => (e instanceof QueryError ? e.withCaret() : String(e));

export const TopicsFileSchema = z
  .object({
    groups: GroupsSchema.default({}),
    topics: z.array(TopicDefSchema).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const [name, entries] of Object.entries(file.groups)) {
      entries.forEach((entry, j) => {
        try {
          parseGroupEntry(entry);
        } catch (e) {
          ctx.addIssue({ code: 'custom', path: ['groups', name, j], message: caret(e) });
        }
      });
    }
    const seen = new Set<string>();
    file.topics.forEach((topic, i) => {
      if (seen.has(topic.id))
        ctx.addIssue({
          code: 'custom',
          path: ['topics', i, 'id'],
          message: `duplicate topic id "${topic.id}"`,
        });
      seen.add(topic.id);
      let ast: QueryNode;
      try {
        ast = parseQuery(topic.query);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'query'], message: caret(e) });
        return;
      }
      for (const ref of groupRefs(ast)) {
        if (Object.hasOwn(file.groups, ref.name)) continue;
        const message = new QueryError(
          `unknown group @${ref.name}`,
          topic.query,
          ref.offset,
        ).withCaret();
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'query'], message });
      }
    });
  });
export type TopicsFile = z.infer<typeof TopicsFileSchema>;
