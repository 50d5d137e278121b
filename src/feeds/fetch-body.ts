/**
 * Reads a response body under three rules: a whole-body deadline (undici's own body timeout only
 * measures silence between chunks, so a server dripping a byte a second would never trip it), a
 * size cap counted after decompression (a small gzip bomb must not inflate to gigabytes), and
 * no silent truncation (a body cut short is an error, not a shorter feed).
 *
 * A web page read for its <head> (`stopAtHead`) is the exception: only the head is wanted, so
 * reading stops once `</head` has arrived or the cap is reached, and what was read is the answer.
 */
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { FeedError } from '../errors';
import { bodyTimeoutReason, fetchFailed, formatBytes } from './fetch-errors';

export interface BodyLimits {
  maxBytes: number;
  bodyTimeoutMs: number;
  /** Stop after `</head` or at `maxBytes` and keep what was read, instead of reading it all. */
  stopAtHead?: boolean;
}

/** What the request advertised about the body, from its headers. */
export interface BodyHeaders {
  contentEncoding?: string;
  contentLength?: number;
}

/** One coding only: stacked codings ("gzip, br") are legal but no feed server sends them. */
function decoderFor(contentEncoding: string | undefined, url: string): Transform | undefined {
  const token = (contentEncoding ?? '').trim().toLowerCase();
  switch (token) {
    case '':
    case 'identity':
      return undefined;
    // Unzip accepts gzip and zlib-wrapped deflate alike; servers mix the two labels up.
    case 'gzip':
    case 'x-gzip':
    case 'deflate':
      return createUnzip();
    case 'br':
      return createBrotliDecompress();
    default:
      throw fetchFailed(`unsupported content-encoding ${token}`, url, { kind: 'permanent' });
  }
}

function tooLarge(url: string, maxBytes: number): FeedError {
  return fetchFailed(`body larger than ${formatBytes(maxBytes)}`, url, { kind: 'permanent' });
}

/** Thrown inside the pipeline to stop reading a page once its head is in (never escapes). */
class HeadRead extends Error {}
const HEAD_END = '</head';

function truncated(
  url: string,
  received: number,
  expected: number | undefined,
  cause?: unknown,
): FeedError {
  const of = expected === undefined ? '' : ` of ${expected}`;
  return fetchFailed(`body truncated after ${received}${of} bytes`, url, {
    kind: 'transient',
    cause,
  });
}

/** Reads and decompresses `body`; the stream is destroyed on any failure. */
export async function readBody(
  body: Readable,
  url: string,
  head: BodyHeaders,
  limits: BodyLimits,
): Promise<Buffer> {
  const { maxBytes, bodyTimeoutMs, stopAtHead } = limits;
  let decoder: Transform | undefined;
  try {
    decoder = decoderFor(head.contentEncoding, url);
    if (!decoder && !stopAtHead && (head.contentLength ?? 0) > maxBytes)
      throw tooLarge(url, maxBytes);
  } catch (err) {
    // Destroying undici's body emits an AbortError that nobody else would be listening for.
    body.on('error', () => {}).destroy();
    throw err;
  }

  let received = 0;
  const chunks: Buffer[] = [];
  let size = 0;
  // The last bytes of the previous chunk, so a `</head` split across two chunks is still seen.
  let carry = '';
  const deadline = setTimeout(
    () => body.destroy(fetchFailed(bodyTimeoutReason(bodyTimeoutMs), url, { kind: 'transient' })),
    bodyTimeoutMs,
  );
  try {
    await pipeline(
      body,
      async function* countWire(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          yield chunk;
        }
      },
      decoder ?? new PassThrough(),
      async function collect(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          if (stopAtHead) {
            const part = chunk.subarray(0, maxBytes - size);
            chunks.push(part);
            size += part.length;
            const text = carry + part.toString('latin1').toLowerCase();
            if (size >= maxBytes || text.includes(HEAD_END)) throw new HeadRead();
            carry = text.slice(-HEAD_END.length);
            continue;
          }
          size += chunk.length;
          // Stop at the first chunk past the cap: pipeline then destroys the decoder and socket.
          if (size > maxBytes) throw tooLarge(url, maxBytes);
          chunks.push(chunk);
        }
      },
    );
  } catch (err) {
    // Stopping early destroyed the stream on purpose: the head is what was asked for.
    if (err instanceof HeadRead) return Buffer.concat(chunks, size);
    if (err instanceof FeedError) throw err;
    const code = (err as { code?: string }).code;
    // undici reports a connection cut mid-body as a socket error; zlib as an unexpected end.
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'Z_BUF_ERROR') {
      throw truncated(url, received, head.contentLength, err);
    }
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      throw fetchFailed(bodyTimeoutReason(bodyTimeoutMs), url, { kind: 'transient', cause: err });
    }
    if (code?.startsWith('Z_') || code?.startsWith('ERR__ERROR')) {
      throw fetchFailed(`corrupt ${head.contentEncoding} body`, url, {
        kind: 'permanent',
        cause: err,
      });
    }
    throw err;
  } finally {
    clearTimeout(deadline);
  }
  if (head.contentLength !== undefined && received < head.contentLength) {
    throw truncated(url, received, head.contentLength);
  }
  return Buffer.concat(chunks, size);
}
