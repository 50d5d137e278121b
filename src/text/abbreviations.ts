/**
 * Abbreviations of English and Russian news copy, in classes by how often their full stop also
 * ends a sentence. `sentences.ts` decides with them whether a full stop is a boundary.
 */

export type Kind =
  /** Titles and prefixes that are always followed by a name: "Dr. Jones", "ул. Тверская". */
  | 'continues'
  /** Usually sentence-final before a capital ("5 млрд. руб. Минфин…"); not before a number. */
  | 'final'
  /** Ambiguous ("Apple Inc. CEO", "in Oct. The"): ends a sentence only before a typical first word. */
  | 'starter';

export const ABBREVIATIONS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ...words(
    'continues',
    'mr mrs ms dr prof gen col lt sgt capt cmdr adm maj gov sen rep rev hon mt ft vs messrs pres supt approx',
  ),
  ...words(
    'continues',
    'им ул пр просп пер пл акад проф ген тов св т.е т.к т.н т.ч см напр ст ч п д зам',
  ),
  ...words('final', 'etc mln bln bn млн млрд трлн руб тыс долл коп т.д т.п н.э обл др'),
  ...words(
    'starter',
    'inc corp ltd co jr sr bros no st jan feb mar apr jun jul aug sep sept oct nov dec ' +
      'янв фев февр мар апр авг сен сент окт ноя нояб дек',
  ),
]);

/** Words that commonly open a sentence; they decide the ambiguous cases. */
export const STARTERS: ReadonlySet<string> = new Set(
  (
    'the a an he she it its they we i you this that these those there his her their our in on at but and ' +
    'as after according however meanwhile also if when while what who for to with earlier later ' +
    'он она оно они мы я это этот эта в на по но как так при после также кроме однако об о его ее её их для с за из к у не'
  ).split(' '),
);

function words(kind: Kind, list: string): [string, Kind][] {
  return list.split(' ').map((w) => [w, kind]);
}
