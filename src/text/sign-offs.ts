/**
 * Drops the paragraphs that are not the story: photo credits and captions, sign-offs and calls to
 * follow, as agencies print them around an article —
 *
 *   Reporting by …; Editing by …         (Writing by …)        *Writing by …     Reported by X.
 *   Photo: X.   Photo 24.kg   Фото: X    UNICEF/Name (a caption's credit line)  Source: Akipress
 *   Name, © Daryo    ///Daryo, 03.12.2026    burs-ak/jm    Автор: …    Подписывайтесь на …
 *   Our Standards: …    ___    Enditem    AP writer X in Almaty contributed to this report.
 *
 * A paragraph goes only when it opens with one of these and is short; a sign-off run into the last
 * paragraph in brackets ("… said. (Reporting by …)") is cut from it.
 */

const SIGN_OFF = new RegExp(
  [
    String.raw`^[(*]?(?:Additional |Further )?(?:Reporting|Reported|Writing|Written|Editing|Compiled|Edited) by\b`,
    // "Photo: X", "Photo 24.kg", "Images | X", "Фото иллюстративное" — but not "Photography…",
    // nor a credit with the story run on after it ("Photo from open sources. The ministry…").
    String.raw`^(?:Photo|Фото|Image|Images|Picture)(?: credit)?(?:\s*[:|©]|\s+(?:by\b|from\b|courtesy\b|\S+$|иллюстративное))(?![^\n]*[.!?]\s+\p{Lu})`,
    String.raw`^(?:Source|Sources|Источник|Автор|Author|Редактор|Editor|Подготовил|Подготовила)\s*:`,
    String.raw`^(?:Follow (?:us|the author)|Subscribe to|Read more|Read also)\b`,
    String.raw`^(?:Подписывайтесь|Подробнее читайте|Читайте также|Смотрите также)(?![\p{L}])`,
    '^/{2,}',
    // Reuters' standards line, AP's rules and contributor line, Xinhua's end mark.
    String.raw`^Our Standards:|^_{3,}$|^Enditem$|^[^\n]{0,160}\bcontributed to this report\.?$`,
    String.raw`^[^\n,]{2,60}, ©`,
    '^©',
    // AFP's desk slug: the initials of the bureaus and editors, "burs-ak/jm".
    '^[a-z]{2,5}(?:-[a-z]{2,5})*(?:/[a-z]{2,5})+$',
    // A photo's credit line above its caption: "UNICEF/Anvar Karimov", "UN Photo/Mark Garten".
    String.raw`^[\p{L}\d .'-]{2,40}/[\p{L} .'-]{2,40}(?:\n|$)`,
  ].join('|'),
  'u',
);

/** Longer than any credit or sign-off; a longer paragraph is story even when it opens like one. */
const MAX_SIGN_OFF = 300;

const TRAILING_SIGN_OFF =
  /\s*\((?:Additional |Further )?(?:Reporting|Writing|Editing|Compiled) by [^()]{1,200}\)\s*$/u;

export function dropSignOffs(text: string): string {
  const paragraphs = text.split(/\n[^\S\n]*\n\s*/);
  const kept = paragraphs.filter((p) => !isSignOff(p.trim()));
  if (kept.length === 0) return '';
  const last = kept.length - 1;
  kept[last] = kept[last]!.replace(TRAILING_SIGN_OFF, '');
  return kept.join('\n\n');
}

function isSignOff(paragraph: string): boolean {
  return paragraph.length <= MAX_SIGN_OFF && SIGN_OFF.test(paragraph);
}
