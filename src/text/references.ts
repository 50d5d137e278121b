/**
 * Sentences that lean on the one before them: "This was announced by…", "He added…", "According
 * to him, …", "Он отметил…", "По его словам, …", "Об этом сообщили…", and quotes given to a pronoun
 * ("'We are ready,' he said."). A summary that keeps one must keep what it refers to.
 */

const EN_OPENERS = [
  'this',
  'that',
  'these',
  'those',
  'it',
  'its',
  'he',
  'she',
  'they',
  'his',
  'her',
  'their',
  'them',
  'such',
  'also',
  'however',
  'moreover',
  'besides',
  'meanwhile',
  'therefore',
  'thus',
  'in addition',
  'at the same time',
  'according to (?:him|her|them|it|the (?:same )?(?:source|report|document|statement))',
];

const RU_OPENERS = [
  'он',
  'она',
  'оно',
  'они',
  'это',
  'этот',
  'эта',
  'эти',
  'этого',
  'его',
  'её',
  'ее',
  'их',
  'ему',
  'ей',
  'им',
  'там',
  'также',
  'однако',
  'при этом',
  'кроме того',
  'вместе с тем',
  'в свою очередь',
  'тем временем',
  'об этом',
  'по (?:его|её|ее|их) (?:словам|мнению|данным)',
  'как (?:он|она|они) (?:отметил|отметила|отметили|сказал|сказала|сказали|добавил|добавила)',
];

const OPENS_WITH_REFERENCE = new RegExp(
  `^\\(?(?:${[...EN_OPENERS, ...RU_OPENERS].join('|')})(?![\\p{L}\\p{N}])`,
  'iu',
);

const RU_SAID = '(?:сказал|отметил|добавил|подчеркнул|заявил|уточнил)[аи]?';

/** A quotation, then its speaker given as a pronoun or left out: "…," he said. / «…», — сказал он. */
const QUOTE_BY_PRONOUN = new RegExp(
  [
    String.raw`^[«"“„].{0,600}[»"”“],?\s*(?:he|she|they) (?:said|added|noted|stressed|told)`,
    String.raw`^[«"“„].{0,600}[»"”“],?\s*[—–-]\s*${RU_SAID}(?: (?:он|она|они)(?![\p{L}])|\.?$)`,
  ].join('|'),
  'iu',
);

export function leansOnPrevious(sentence: string): boolean {
  return OPENS_WITH_REFERENCE.test(sentence) || QUOTE_BY_PRONOUN.test(sentence);
}
