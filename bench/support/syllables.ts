/** Syllables that make up the benches' invented Central Asian names (Latin script). */
export const LATIN_SYLLABLES = [
  'ka',
  'ra',
  'to',
  'mi',
  'sho',
  'bek',
  'an',
  'dar',
  'ul',
  'stan',
  'ni',
  'ko',
  'ta',
  'zhan',
  'gul',
  'ar',
];
