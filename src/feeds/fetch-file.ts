/**
 * Operator feeds may be local files (a path or a file:// URL), handy for mirrors and for testing a
 * feed before publishing it. They get the same size cap and decoding as HTTP bodies, and
 * validators derived from the file's size and mtime so an unchanged file is 'not-modified'.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FeedError } from '../errors';
import { decodeFeedBytes } from './decode';
import { fetchFailed, formatBytes } from './fetch-errors';
import type { FetchResult } from './fetch-types';

/** True for `file:` URLs and for anything without a URL scheme (`./feeds/a.xml`, `C:\feeds\a.xml`). */
export function isLocalFeed(url: string): boolean {
  return /^file:/i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^[a-z]:[\\/]/i.test(url);
}

/** Relative paths are taken from the working directory, like any CLI argument. */
export function localPath(url: string): string {
  return /^file:/i.test(url) ? fileURLToPath(url) : resolve(url);
}

export async function fetchFile(
  url: string,
  validators: { etag?: string; lastModified?: string },
  maxBytes: number,
): Promise<FetchResult> {
  const path = localPath(url);
  const finalUrl = pathToFileURL(path).href;
  try {
    const info = await stat(path);
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const lastModified = info.mtime.toUTCString();
    const unchanged = validators.etag
      ? validators.etag === etag
      : validators.lastModified === lastModified;
    if (unchanged) return { kind: 'not-modified', url, finalUrl };

    const chunks: Buffer[] = [];
    let size = 0;
    // `end` is inclusive: one byte past the cap is enough to know the file is too large,
    // even if it grew after stat.
    for await (const chunk of createReadStream(path, { end: maxBytes })) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    if (size > maxBytes) {
      throw fetchFailed(`file larger than ${formatBytes(maxBytes)}`, url, { kind: 'permanent' });
    }
    const bytes = Buffer.concat(chunks, size);
    return {
      kind: 'ok',
      url,
      finalUrl,
      body: decodeFeedBytes(bytes),
      bytes: size,
      etag,
      lastModified,
    };
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot read file: ${code ?? String(err)}`;
    throw fetchFailed(reason, url, { kind: 'permanent', cause: err });
  }
}
