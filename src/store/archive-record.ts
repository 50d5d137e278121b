import { z } from 'zod';
import { ItemSchema } from '../domain/item';

/** An archived item with the topics it matched when it arrived. */
export const ArchivedSchema = z.object({
  item: ItemSchema,
  matches: z.array(
    z.object({
      topicId: z.string(),
      score: z.number(),
      hits: z.array(
        z.object({
          term: z.string(),
          field: z.enum(['title', 'description', 'text']),
          group: z.string().optional(),
        }),
      ),
    }),
  ),
});
export type Archived = z.infer<typeof ArchivedSchema>;

/**
 * What is stored per item. Records written before December 2026 also list the words the item was
 * filed under (`words`), which retention read to find a day's word lists; a day's word lists are
 * now named by its vocabulary rows (archive-fold.ts), and records are ~7 % smaller without them.
 */
export type ArchiveRecord = Archived & { words?: string[] };
