/** Writing OPML 2.0: one flat list of feeds, the shape every reader imports. */

export interface OpmlEntry {
  url: string;
  name?: string;
  htmlUrl?: string;
}

/** An attribute value: markup characters as entities, line breaks and tabs as character references. */
function attr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

export function writeOpml(
  feeds: readonly OpmlEntry[],
  options: { title: string; now: Date },
): string {
  const outlines = feeds.map((f) => {
    const name = f.name ?? f.url;
    const html = f.htmlUrl ? ` htmlUrl="${attr(f.htmlUrl)}"` : '';
    return `    <outline type="rss" text="${attr(name)}" title="${attr(name)}" xmlUrl="${attr(f.url)}"${html}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${attr(options.title)}</title>`,
    `    <dateCreated>${options.now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
