/**
 * Words that say nothing about which event a report is about: function words, and the verbs and
 * nouns every diplomatic or economic report uses ("said", "talks", "cooperation"). They still count
 * a little (weight 1 in terms.ts keeps "signed" apart from "ratified"), but never as an entity.
 */
const EN =
  'a an the of and or to in on at for from by with as is are was were be been being has have had ' +
  'will would can could may might shall should it its this that these those there their they them he ' +
  'she his her we our you i not no but if than then so also into over under about after before ' +
  'during between while which who whom what when where why how all any each other such more most ' +
  'new said says say according told today yesterday week year us mr ms on upon via amid';

const RU =
  'и в во на с со по к ко о об от до из за для при про у а но или что как это этот эта эти тот ' +
  'та те же ли бы не ни уже еще ещё также так был была было были будет будут быть его ее её их ' +
  'он она оно они мы вы я который которая которое которые этом этой году год сообщает сообщил ' +
  'сообщила сообщили заявил заявила заявили передает передаёт сегодня вчера между после перед во время';

export const STOPWORDS: ReadonlySet<string> = new Set(`${EN} ${RU}`.split(/\s+/));

/**
 * Months and weekdays. The same event is dated "on Tuesday" by one outlet and "on 5 March" by
 * another, so these words count as ordinary words; the day's number counts as a number.
 */
const CALENDAR_EN =
  'january february march april may june july august september october november december ' +
  'jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday';
const CALENDAR_RU =
  'января февраля марта апреля мая июня июля августа сентября октября ноября декабря ' +
  'январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь ' +
  'понедельник вторник среду среда четверг пятницу пятница субботу суббота воскресенье';

export const CALENDAR: ReadonlySet<string> = new Set(`${CALENDAR_EN} ${CALENDAR_RU}`.split(/\s+/));
