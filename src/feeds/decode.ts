/**
 * Bytes → text for feed bodies. Many Central Asian sources serve windows-1251 or koi8-r, and
 * `fetch().text()` would assume UTF-8, so the charset is decided here, in the order that wins in
 * practice: a byte-order mark (or the way UTF-16/32 spell the first `<`), then the HTTP charset,
 * then the XML declaration, then UTF-8.
 */
const SIGNATURES: Array<[number[], string]> = [
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
  // No BOM: a document starts with `<`, whose spelling gives UTF-16 and UTF-32 away (XML 1.0, F.1).
  [[0x00, 0x00, 0x00, 0x3c], 'utf-32be'],
  [[0x3c, 0x00, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x3c, 0x00, 0x3f], 'utf-16be'],
  [[0x3c, 0x00, 0x3f, 0x00], 'utf-16le'],
];

/** The encoding the first bytes prove, if they prove one. */
function signatureEncoding(bytes: Uint8Array): string | undefined {
  for (const [sig, enc] of SIGNATURES) if (sig.every((b, i) => bytes[i] === b)) return enc;
  return undefined;
}

/** UTF-32, which TextDecoder does not offer; code points that cannot be are U+FFFD. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('').replace(/^\uFEFF/, '');
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
 * which turns them into C1 control characters; and feeds written by software that took
 * windows-1252 for Latin-1 carry the same characters as C1 controls encoded in UTF-8
 * (`don\u0092t`). No feed means a C1 control, so in any decoding they are read as windows-1252.
 */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

export function fixCp1252(text: string): string {
  return text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Decodes a feed body; never throws (invalid bytes become U+FFFD). */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const signature = signatureEncoding(bytes);
  if (signature?.startsWith('utf-32'))
    return fixCp1252(decodeUtf32(bytes, signature === 'utf-32le'));
  const encoding =
    signature ??
    supported(headerCharset(contentType)) ??
    supported(declaredCharset(bytes)) ??
    (isUtf8(bytes) ? 'utf-8' : sniffLegacyCharset(bytes));
  // A UTF-16 declaration in an ASCII-readable prolog is a lie: the bytes are single-byte.
  const safe = encoding.startsWith('utf-16') && !signature ? 'utf-8' : encoding;
  return fixCp1252(new TextDecoder(safe).decode(bytes));
}
