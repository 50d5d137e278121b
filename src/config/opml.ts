/**
 * Reading OPML subscription lists as feed readers export them (Feedly, Inoreader, Thunderbird,
 * NetNewsWire, Miniflux…): `<outline>` elements with `xmlUrl` are feeds, outlines without one
 * are folders and may nest. Attribute names are matched in any case (`xmlurl` occurs in old
 * exports). Entities are decoded (`&amp;`, `&#233;`, HTML names); a DOCTYPE is refused before
 * parsing, so no file can define entities of its own (the "billion laughs" bomb).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConfigError } from '../errors';

/** Large enough for thousands of feeds; beyond that it is not a subscription list. */
export const MAX_OPML_BYTES = 2 * 1024 * 1024;

export interface OpmlFeed {
  /** `xmlUrl`, as written. */
  url: string;
  /** `title`, else `text`. */
  title?: string;
  htmlUrl?: string;
  /** The folders it sits in, outermost first. */
  folders: string[];
}

export interface OpmlDocument {
  title?: string;
  feeds: OpmlFeed[];
}

type Node = Record<string, unknown>;

const attributes = (node: Node): Record<string, string> =>
  Object.fromEntries(
    Object.entries(node)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k.toLowerCase(), String(v).trim()]),
  );

function collect(outlines: unknown, folders: string[], into: OpmlFeed[]): void {
  for (const raw of Array.isArray(outlines) ? outlines : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const node = raw as Node;
    const a = attributes(node);
    const title = a.title || a.text || undefined;
    if (a.xmlurl) {
      into.push({
        url: a.xmlurl,
        ...(title ? { title } : {}),
        ...(a.htmlurl ? { htmlUrl: a.htmlurl } : {}),
        folders,
      });
    } else {
      collect(node.outline, title ? [...folders, title] : folders, into);
    }
  }
}

/** The feeds of an OPML document; `file` names it in errors. */
export function parseOpml(text: string, file: string): OpmlDocument {
  const fail = (message: string, line?: number): never => {
    throw new ConfigError([{ file, path: '', message, ...(line ? { line } : {}) }]);
  };
  if (text.length > MAX_OPML_BYTES)
    fail(`the file is over ${MAX_OPML_BYTES / 1024 / 1024} MB; that is not a subscription list`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    fail('refused: the file declares a DOCTYPE or entities, which OPML never needs');
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail(`not well-formed XML: ${valid.err.msg}`, valid.err.line);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
    isArray: (name) => name === 'outline',
  }).parse(text) as Node;
  const opml = parsed.opml as Node | undefined;
  if (typeof opml !== 'object' || opml === null) return fail('not an OPML file (no <opml> root)');
  const body = opml.body as Node | undefined;
  const head = opml.head as Node | undefined;
  const feeds: OpmlFeed[] = [];
  collect(typeof body === 'object' && body !== null ? body.outline : [], [], feeds);
  const title = typeof head?.title === 'string' ? head.title.trim() : undefined;
  return { ...(title ? { title } : {}), feeds };
}
