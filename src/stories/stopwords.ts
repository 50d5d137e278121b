/**
 * Words that say nothing about which event a report is about: function words, and the verbs of
 * reporting ("said", "told", "сообщил"), which outlets choose freely. Months and weekdays
 * are not here: one outlet dates an event "on Tuesday", another "on 5 March", so they count as
 * ordinary words (weight 1), and the day's number as a number.
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
