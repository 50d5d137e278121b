/**
 * HTML → plain text for feed content. Feed HTML is untrusted and often broken, so this is a
 * single forward scan with no backtracking: every search (`indexOf`, the `>` cache, sticky
 * regexes) only moves forward, which keeps it linear on hostile input such as 1 MB of nested
 * `<div>`, a `<` without `>` or thousands of unclosed comments. Like a browser, an unterminated
 * tag, comment or script swallows the rest of the input instead of being retried at every `<`.
 *
 * Output: paragraphs separated by exactly one blank line, `<br>` as a line break, whitespace
 * collapsed inside lines. Input without any markup keeps its blank-line paragraphs.
 */
const BLOCK = new Set(
  (
    'p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote tr table thead tbody tfoot section article ' +
    'header footer main aside nav figure figcaption pre address hr center details summary form fieldset'
  ).split(' '),
);
/** Elements whose content is never text for a reader. */
const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'textarea',
  'svg',
  'math',
]);
const CELL = new Set(['td', 'th']);

const TAG_NAME = /[a-zA-Z][a-zA-Z0-9:-]*/y;
const WHITESPACE_RUN = /\s+/g;
/** Whitespace that is not a single space; without it a run of text is already collapsed. */
const COLLAPSIBLE = /[^ \S]| {2}/;

class TextSink {
  private readonly paragraphs: string[] = [];
  private lines: string[] = [];
  private line = '';
  private space = false;
  private breaks = 0;

  text(s: string, keepBlankLines: boolean): void {
    if (!keepBlankLines) {
      this.inline(s);
      return;
    }
    WHITESPACE_RUN.lastIndex = 0;
    let from = 0;
    for (let m = WHITESPACE_RUN.exec(s); m; m = WHITESPACE_RUN.exec(s)) {
      this.word(s.slice(from, m.index));
      const run = m[0];
      if (run.indexOf('\n') !== run.lastIndexOf('\n')) this.paragraph();
      else this.space = true;
      from = m.index + run.length;
    }
    this.word(s.slice(from));
  }

  /**
   * Text inside markup, where whitespace only separates words: each run becomes one space (most
   * text has nothing else, and is taken as it is), and the words go into the line at once rather
   * than one by one, which cost a string per word and was most of the conversion.
   */
  private inline(s: string): void {
    const flat = COLLAPSIBLE.test(s) ? s.replace(WHITESPACE_RUN, ' ') : s;
    if (flat === ' ') this.space = true;
    if (flat.length <= 1) {
      this.word(flat.trim());
      return;
    }
    const lead = flat.charCodeAt(0) === 32;
    const trail = flat.charCodeAt(flat.length - 1) === 32;
    if (lead) this.space = true;
    this.word(flat.slice(lead ? 1 : 0, trail ? -1 : flat.length));
    if (trail) this.space = true;
  }

  word(w: string): void {
    if (!w) return;
    if (this.space && this.line) this.line += ' ';
    this.line += w;
    this.space = false;
    this.breaks = 0;
  }

  /** A separator between inline boxes such as table cells. */
  gap(): void {
    this.space = true;
  }

  /** `<br>`: a line break; two in a row end the paragraph. */
  lineBreak(): void {
    if (++this.breaks >= 2) {
      this.paragraph();
      return;
    }
    this.lines.push(this.line);
    this.line = '';
    this.space = false;
  }

  paragraph(): void {
    if (this.line) this.lines.push(this.line);
    const text = this.lines.join('\n').trim();
    if (text) this.paragraphs.push(text);
    this.lines = [];
    this.line = '';
    this.space = false;
    this.breaks = 0;
  }

  result(): string {
    this.paragraph();
    return this.paragraphs.join('\n\n');
  }
}

/** Decodes the character references in a run of text. */
export function decodeText(s: string): string {
  if (!s.includes('&')) return s;
  let out = '';
  let from = 0;
  for (let at = s.indexOf('&'); at !== -1; at = s.indexOf('&', at + 1)) {
    const ref = decodeEntity(s, at);
    if (!ref) continue;
    out += s.slice(from, at) + ref.text;
    from = at + ref.length;
    at = from - 1;
  }
  return out + s.slice(from);
}

function looksLikeMarkup(html: string): boolean {
  return /<[a-zA-Z/!?]/.test(html);
}

/**
 * The next '>' at or after an index, remembered: the scan only moves forward. (A class rather than
 * closures made per conversion: three conversions an item, and under tsx each closure is named.)
 */
class NextGt {
  private at = -2; // -1 when there is none left
  constructor(private readonly html: string) {}

  from(i: number): number {
    if (this.at === -1 || this.at >= i) return this.at;
    return (this.at = this.html.indexOf('>', i));
  }
}

export function htmlToText(html: string): string {
  const sink = new TextSink();
  const plain = !looksLikeMarkup(html);
  const n = html.length;
  const gt = new NextGt(html);

  let i = 0; // start of text not yet emitted
  let from = 0; // where to look for the next '<'
  for (;;) {
    const lt = html.indexOf('<', from);
    if (lt === -1) break;
    const next = html[lt + 1] ?? '';
    if (!/[a-zA-Z/!?]/.test(next)) {
      from = lt + 1; // a '<' that starts no markup is text
      continue;
    }
    sink.text(decodeText(html.slice(i, lt)), plain);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3; // an unclosed comment runs to the end, as in a browser
    } else if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      sink.text(html.slice(lt + 9, end === -1 ? n : end), plain);
      i = end === -1 ? n : end + 3;
    } else if (next === '!' || next === '?') {
      const end = gt.from(lt);
      i = end === -1 ? n : end + 1;
    } else {
      i = tag(html, lt, sink, gt);
    }
    from = i;
  }
  sink.text(decodeText(html.slice(i)), plain);
  return sink.result();
}

/** Reads one start or end tag at `lt`, acts on it and returns the index after it. */
function tag(html: string, lt: number, sink: TextSink, gt: NextGt): number {
  const closing = html[lt + 1] === '/';
  TAG_NAME.lastIndex = lt + (closing ? 2 : 1);
  const name = TAG_NAME.exec(html)?.[0].toLowerCase();
  if (!name) {
    // `</` followed by junk: a bogus comment up to the next '>'.
    const end = gt.from(lt);
    return end === -1 ? html.length : end + 1;
  }
  const end = tagEnd(html, TAG_NAME.lastIndex);
  if (end === -1) return html.length; // an unterminated tag swallows the rest
  if (!closing && DROPPED.has(name)) return skipRawText(html, name, end);
  if (name === 'br') sink.lineBreak();
  else if (BLOCK.has(name)) sink.paragraph();
  else if (CELL.has(name)) sink.gap();
  return end;
}

/** Index just past the tag's `>`, honouring quoted attribute values; -1 at end of input. */
function tagEnd(html: string, from: number): number {
  let afterEquals = false;
  for (let j = from; j < html.length; j++) {
    const c = html[j]!;
    if (c === '>') return j + 1;
    if ((c === '"' || c === "'") && afterEquals) {
      const close = html.indexOf(c, j + 1);
      if (close === -1) return -1;
      j = close;
      afterEquals = false;
    } else if (c === '=') afterEquals = true;
    else if (!isWhitespace(html.charCodeAt(j))) afterEquals = false;
  }
  return -1;
}

/** JavaScript's `\s`, without a regex for the ASCII that tags are made of. */
function isWhitespace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

/** Skips the content of a script-like element up to its end tag (or the end of input). */
function skipRawText(html: string, name: string, from: number): number {
  const close = new RegExp(`</${name}[\\s/>]`, 'gi');
  close.lastIndex = from;
  const m = close.exec(html);
  if (!m) return html.length;
  const gt = html.indexOf('>', m.index);
  return gt === -1 ? html.length : gt + 1;
}

/*
 * Character references. The named ones are those feeds actually use (Latin-1, typography,
 * Greek), not the full HTML5 table of 2,000; an unknown name stays as written.
 */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml ' +
  'Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde ' +
  'Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ' +
  'ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide ' +
  'oslash ugrave uacute ucirc uuml yacute thorn yuml';
const GREEK: Array<[string, number]> = [
  ['Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho', 913],
  ['Sigma Tau Upsilon Phi Chi Psi Omega', 931],
  [
    'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma ' +
      'tau upsilon phi chi psi omega',
    945,
  ],
];
const OTHER =
  'quot:34 amp:38 apos:39 lt:60 gt:62 OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 fnof:402 circ:710 ' +
  'tilde:732 ensp:8194 emsp:8195 thinsp:8201 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 ndash:8211 mdash:8212 ' +
  'lsquo:8216 rsquo:8217 sbquo:8218 ldquo:8220 rdquo:8221 bdquo:8222 dagger:8224 Dagger:8225 bull:8226 ' +
  'hellip:8230 permil:8240 prime:8242 Prime:8243 lsaquo:8249 rsaquo:8250 oline:8254 frasl:8260 euro:8364 ' +
  'trade:8482 larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 minus:8722 infin:8734 ne:8800 le:8804 ' +
  'ge:8805 hearts:9829';

const NAMED = new Map<string, string>();
LATIN1.split(' ').forEach((name, i) => {
  NAMED.set(name, String.fromCodePoint(0xa0 + i));
});
for (const [names, first] of GREEK)
  names.split(' ').forEach((name, i) => {
    NAMED.set(name, String.fromCodePoint(first + i));
  });
for (const pair of OTHER.split(' ')) {
  const [name, code] = pair.split(':');
  NAMED.set(name!, String.fromCodePoint(Number(code)));
}

/** `&#150;` means what windows-1252 byte 150 means (an en dash), as browsers read it. */
const CP1252 =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

const NAMED_REF = /&([a-zA-Z][a-zA-Z0-9]{1,31});/y;
const NUMERIC_REF = /&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?/y;

function fromCodePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) return CP1252[code - 0x80]!;
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** The character reference starting at `at` (an '&'), or undefined when it is not one. */
function decodeEntity(s: string, at: number): { text: string; length: number } | undefined {
  NUMERIC_REF.lastIndex = at;
  const num = NUMERIC_REF.exec(s);
  if (num) {
    const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    return { text: fromCodePoint(code), length: num[0].length };
  }
  NAMED_REF.lastIndex = at;
  const named = NAMED_REF.exec(s);
  const text = named && NAMED.get(named[1]!);
  return text ? { text, length: named[0].length } : undefined;
}
