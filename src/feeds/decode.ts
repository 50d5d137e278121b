/**
 * Bytes → text for feed bodies. Many Central Asian sources serve windows-1251 or koi8-r, and
 * `fetch().text()` would assume UTF-8, so the charset is decided here, in the order that wins in
 * practice: a byte-order mark, then the HTTP charset, then the XML declaration, then UTF-8.
 */
const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

function bomEncoding(bytes: Uint8Array): string | undefined {
  for (const [bom, enc] of BOMS) if (bom.every((b, i) => bytes[i] === b)) return enc;
  return undefined;
}

function supported(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset parameter of a Content-Type header, if any. */
export function headerCharset(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([^;"'\s]+)/i);
  return m?.[1];
}

/** The encoding named in an `<?xml … encoding="…"?>` declaration, read as ASCII. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  return head.match(/^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/)?.[1];
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * A guess for bytes that name no charset and are not UTF-8: Russian and Central Asian sources
 * that forget the declaration are nearly always windows-1251 or koi8-r. Both put Cyrillic letters
 * in 0xC0–0xFF; running text is mostly lower case, which windows-1251 puts in 0xE0–0xFF and koi8-r
 * in 0xC0–0xDF. High bytes mostly outside that range are Western text: windows-1252.
 */
export function sniffLegacyCharset(bytes: Uint8Array): string {
  let high = 0;
  let upperHalf = 0;
  let lowerHalf = 0;
  for (const b of bytes) {
    if (b < 0x80) continue;
    high++;
    if (b >= 0xe0) upperHalf++;
    else if (b >= 0xc0) lowerHalf++;
  }
  if (high === 0 || (upperHalf + lowerHalf) / high < 0.6) return 'windows-1252';
  return upperHalf >= lowerHalf ? 'windows-1251' : 'koi8-r';
}

/**
 * windows-1252's 0x80–0x9F (smart quotes, dashes, €) as the Encoding Standard maps them. Node 20's
 * TextDecoder decodes windows-1252 (and its aliases latin1, iso-8859-1, ascii) as ISO-8859-1,
 * which turns them into C1 control characters.
 */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

function fixCp1252(text: string): string {
  return text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Decodes a feed body; never throws (invalid bytes become U+FFFD). */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const encoding =
    bomEncoding(bytes) ??
    supported(headerCharset(contentType)) ??
    supported(declaredCharset(bytes)) ??
    (isUtf8(bytes) ? 'utf-8' : sniffLegacyCharset(bytes));
  // A UTF-16 declaration in an ASCII-readable prolog is a lie: the bytes are single-byte.
  const safe = encoding.startsWith('utf-16') && !bomEncoding(bytes) ? 'utf-8' : encoding;
  const text = new TextDecoder(safe).decode(bytes);
  return safe === 'windows-1252' ? fixCp1252(text) : text;
}
