import { describe, expect, it } from 'vitest';
import { entryImage, firstImgSrc, type ImageSources } from '../../../src/feeds/entry-image';
import { normalizeFeed } from '../../../src/feeds/normalize';
import { parseFeed } from '../../../src/feeds/parse';

const none: ImageSources = { thumbnails: [], media: [], enclosures: [], itunes: [], html: [] };
const pic = (name: string) => `https://cdn.wire.example.com/${name}.jpg`;

describe('entryImage', () => {
  it.each<[string, Partial<ImageSources>, string | undefined]>([
    ['nothing when the entry has no picture', {}, undefined],
    [
      'the thumbnail before everything else',
      {
        thumbnails: [pic('thumb')],
        media: [{ url: pic('media'), medium: 'image' }],
        html: [`<img src="${pic('inline')}">`],
      },
      pic('thumb'),
    ],
    [
      'media:content of medium image, not a video',
      {
        media: [
          { url: 'https://cdn.wire.example.com/clip.mp4', medium: 'video' },
          { url: pic('still'), medium: 'image' },
        ],
      },
      pic('still'),
    ],
    [
      'media:content by its image type',
      { media: [{ url: pic('typed'), type: 'image/jpeg' }] },
      pic('typed'),
    ],
    [
      'an image enclosure, not an audio one',
      {
        enclosures: [
          { url: 'https://cdn.wire.example.com/ep.mp3', type: 'audio/mpeg' },
          { url: pic('cover'), type: 'image/jpeg' },
        ],
      },
      pic('cover'),
    ],
    [
      'itunes:image before the HTML',
      { itunes: [pic('show')], html: [`<img src="${pic('inline')}">`] },
      pic('show'),
    ],
    [
      'the first <img> of the content as the last resort, entities decoded',
      {
        html: [
          undefined,
          '<p>Text</p><img alt="x" src="/img/a.png?w=1&amp;h=2"><img src="/b.png">',
        ],
      },
      '/img/a.png?w=1&h=2',
    ],
  ])('takes %s', (_, sources, expected) => {
    expect(entryImage({ ...none, ...sources })).toBe(expected);
  });
});

describe('firstImgSrc', () => {
  it.each([
    ["<img src='single.png'>", 'single.png'],
    ['<IMG SRC=bare.png width=3>', 'bare.png'],
    ['<img alt="no source">', undefined],
    ['<p>no image</p>', undefined],
  ])('reads %s', (html, src) => {
    expect(firstImgSrc(html)).toBe(src);
  });

  it('gives up on a tag that never closes instead of scanning on', () => {
    expect(firstImgSrc(`<img ${'a'.repeat(5000)} src="late.png">`)).toBeUndefined();
  });
});

describe('an item image from a feed', () => {
  it('is resolved against the item link and kept on the Item', async () => {
    const xml =
      '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Wire</title><link>https://wire.example.com/</link>' +
      '<item><title>Dam inspected</title><link>https://wire.example.com/news/2024/dam</link>' +
      '<media:content url="../../img/dam.jpg" medium="image"/></item>' +
      '<item><title>Budget</title><link>https://wire.example.com/news/budget</link>' +
      '<description>&lt;img src="https://cdn.wire.example.com/chart.png"&gt; Figures</description></item>' +
      '<item><title>Podcast</title><link>https://wire.example.com/pod/1</link>' +
      '<enclosure url="https://cdn.wire.example.com/ep1.mp3" type="audio/mpeg" length="1"/></item>' +
      '</channel></rss>';
    const items = normalizeFeed(await parseFeed(xml, 'https://wire.example.com/feed.xml'), {
      feedId: 'wire',
      fetchedAt: new Date('2024-03-05T12:00:00Z'),
    });
    expect(items.map((i) => i.image)).toEqual([
      'https://wire.example.com/img/dam.jpg',
      'https://cdn.wire.example.com/chart.png',
      undefined,
    ]);
  });
});
