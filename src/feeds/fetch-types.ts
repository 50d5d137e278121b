/** What the fetcher is asked, what it answers, and its interface: shared by its HTTP and file halves. */
import type { Trust } from '../domain/feed';

export interface FetchRequest {
  url: string;
  /** Validators from the previous successful fetch; sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** Decides whether the SSRF guard applies (see `Trust`). */
  trust: Trust;
  /**
   * Read a web page for its <head> rather than a feed: HTML is asked for and any other type
   * refused, and reading stops after `</head` or at `maxBytes` (a smaller cap than a feed's),
   * keeping what was read.
   */
  pageHead?: { maxBytes: number };
}

export type FetchResult =
  | { kind: 'not-modified'; url: string; finalUrl: string }
  | {
      kind: 'ok';
      url: string;
      /** Where the body came from after redirects (without credentials); file:// for local files. */
      finalUrl: string;
      body: string;
      /** Size of the body after decompression, before decoding. */
      bytes: number;
      contentType?: string;
      etag?: string;
      lastModified?: string;
    };

export interface Fetcher {
  /** Rejects with a FeedError, or with the signal's reason when `signal` aborts. */
  fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult>;
  /** Lets running fetches finish, then releases every connection. */
  close(): Promise<void>;
}
