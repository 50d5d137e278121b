/**
 * The topics the benches match against: the operator's default catalogue (config/topics.yaml,
 * its groups and its topic) plus generated topics of the shapes people write — a subject in
 * English or Russian within the region, near a place, in a title, with the UN, without the
 * ambiguous names — until there are `count` of them. They are validated by the real schema.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadTopics } from '../../src/config/catalog';
import { TopicsFileSchema, type TopicDef, type TopicsFile } from '../../src/topics/schema';
import { seeded } from './random';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'config');

/** A subject as an English term and a Russian prefix (inflection is the prefix's job). */
const SUBJECTS: Array<[string, string]> = [
  ['water', 'водн*'],
  ['energy', 'энергет*'],
  ['"gas pipeline"', 'газопровод*'],
  ['border', 'границ*'],
  ['trade', 'товарооборот*'],
  ['railway', 'железнодорож*'],
  ['hydropower', 'гидроэнерг*'],
  ['cotton', 'хлопк*'],
  ['migration', 'миграц*'],
  ['elections', 'выбор*'],
  ['corruption', 'коррупц*'],
  ['"drug trafficking"', 'наркотрафик*'],
  ['climate', 'климат*'],
  ['digital', 'цифров*'],
  ['"food security"', 'продовольствен*'],
  ['youth', 'молодеж*'],
  ['investment', 'инвестиц*'],
  ['transport', 'транспорт*'],
];
const PLACES: Array<[string, string]> = [
  ['Kazakhstan', 'Казахстан'],
  ['Uzbekistan', 'Узбекистан'],
  ['Kyrgyzstan', 'Кыргызстан'],
  ['Tajikistan', 'Таджикистан'],
  ['Turkmenistan', 'Туркменистан'],
  ['Afghanistan', 'Афганистан'],
  ['China', 'Китай'],
  ['Russia', 'Росси*'],
];

type Shape = (s: [string, string], p: [string, string]) => string;
const SHAPES: Shape[] = [
  ([en, ru]) => `(${en} OR ${ru}) @central_asia`,
  ([en, ru], [pe, pr]) => `(${en} OR ${ru}) NEAR/8 (${pe} OR ${pr})`,
  ([en, ru]) => `title:(${en} OR ${ru})`,
  ([en, ru]) => `(${en} OR ${ru}) (@un OR @un_ct)`,
  ([en, ru]) => `(${en} OR ${ru}) (@central_asia OR (@central_asia_ambiguous NOT @elsewhere))`,
  (_, [pe, pr]) => `@counter_terrorism NEAR/12 (${pe} OR ${pr})`,
  ([en, ru], [pe, pr]) => `summary:(${en} OR ${ru}) (${pe} OR ${pr}) -@elsewhere`,
];

/** The default catalogue plus generated topics, `count` in all (at least the default ones). */
export async function benchTopics(count: number, seed: number): Promise<TopicsFile> {
  const base = await loadTopics(CONFIG_DIR);
  const r = seeded(seed);
  const topics: TopicDef[] = [...base.topics];
  const queries = new Set<string>();
  for (let i = 0; topics.length < count; i++) {
    const query = SHAPES[i % SHAPES.length]!(r.pick(SUBJECTS), r.pick(PLACES));
    if (queries.has(query)) continue;
    queries.add(query);
    topics.push({
      id: `bench-${topics.length}`,
      name: `Bench topic ${topics.length}`,
      query,
      minScore: 2,
    });
  }
  return TopicsFileSchema.parse({ groups: base.groups, topics });
}

/** The same topics as config/topics.yaml text, for an app reading a config folder. */
export function topicsYaml(file: TopicsFile): string {
  return stringify(file);
}
