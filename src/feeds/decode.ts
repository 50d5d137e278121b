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

/** Decodes a feed body; never throws (invalid bytes become U+FFFD). */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const encoding =
    bomEncoding(bytes) ??
    supported(headerCharset(contentType)) ??
    supported(declaredCharset(bytes)) ??
    'utf-8';
  // A UTF-16 declaration in an ASCII-readable prolog is a lie: the bytes are single-byte.
  const safe = encoding.startsWith('utf-16') && !bomEncoding(bytes) ? 'utf-8' : encoding;
  return new TextDecoder(safe).decode(bytes);
}
