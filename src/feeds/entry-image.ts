/**
 * An entry's picture, for a briefing to show: the feed's own thumbnail first (media:thumbnail),
 * then an image it attaches (media:content or an enclosure of an image type, itunes:image), and
 * only then the first <img> of the entry's HTML, which may be a tracking pixel or an icon.
 */

export interface MediaRef {
  url?: string;
  /** MIME type, e.g. image/jpeg. */
  type?: string;
  /** media:content's medium: image, video, audio, … */
  medium?: string;
}

export interface ImageSources {
  thumbnails: Array<string | undefined>;
  media: MediaRef[];
  enclosures: MediaRef[];
  itunes: Array<string | undefined>;
  html: Array<string | undefined>;
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function isImage(ref: MediaRef): boolean {
  if (ref.medium) return ref.medium === 'image';
  if (ref.type) return ref.type.toLowerCase().startsWith('image/');
  return !!ref.url && IMAGE_EXTENSION.test(ref.url);
}

// Bounded: a `<img` whose tag never closes must not make the scan quadratic.
const IMG_SRC = /<img\b[^>]{0,2000}?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/** The src of the first <img> in `html`, entities in it decoded the little that URLs need. */
export function firstImgSrc(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const m = IMG_SRC.exec(html);
  const src = m?.[1] ?? m?.[2] ?? m?.[3];
  return src?.trim() ? src.trim().replace(/&amp;/g, '&') : undefined;
}

const present = (s: string | undefined): s is string => !!s?.trim();

/** The entry's image URL as found (maybe relative); undefined when it has none. */
export function entryImage(s: ImageSources): string | undefined {
  return (
    s.thumbnails.find(present) ??
    s.media.find((m) => present(m.url) && isImage(m))?.url ??
    s.enclosures.find((m) => present(m.url) && isImage(m))?.url ??
    s.itunes.find(present) ??
    s.html.map(firstImgSrc).find(present)
  );
}
