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

/** What is stored per item: the word lists it was added to are kept so retention can remove them. */
export type ArchiveRecord = Archived & { words: string[] };
