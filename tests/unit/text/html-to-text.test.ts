import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/text/html-to-text';

describe('htmlToText', () => {
  it.each([
    [
      'named entities',
      'Tom&nbsp;&amp;&nbsp;Jerry &mdash; &laquo;hi&raquo; &eacute;t&eacute;',
      'Tom & Jerry — «hi» été',
    ],
    ['numeric entities, decimal and hex', '&#8212; &#x2014; &#X41;&#66;', '— — AB'],
    [
      'windows-1252 numeric references as browsers read them',
      'a &#150; b &#147;q&#148;',
      'a – b “q”',
    ],
    ['invalid numeric references', 'x&#0;y&#xD800;z&#1114112;', 'x\ufffdy\ufffdz\ufffd'],
    [
      'unknown or unterminated entities left as written',
      'AT&T &bogus; &copy2024 & more',
      'AT&T &bogus; &copy2024 & more',
    ],
    [
      'CDATA content kept verbatim',
      '<![CDATA[<b>not a tag</b> &amp;]]> after',
      '<b>not a tag</b> &amp; after',
    ],
    ['<br> as a line break', 'one<br>two<br/>three<BR />four', 'one\ntwo\nthree\nfour'],
    [
      'two <br> in a row as a paragraph break',
      'one<br><br>two<br> <br>\n<br>three',
      'one\n\ntwo\n\nthree',
    ],
    [
      'paragraphs separated by one blank line',
      '<p>One</p>\n\n\n<p>Two</p><div><div>Three</div></div>',
      'One\n\nTwo\n\nThree',
    ],
    [
      'every block element as a paragraph',
      '<h1>H</h1><blockquote>Q</blockquote><section>S</section><article>A</article>',
      'H\n\nQ\n\nS\n\nA',
    ],
    ['list items', '<ul><li>one</li><li>two</li></ul>', 'one\n\ntwo'],
    [
      'table rows as paragraphs and cells separated',
      '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>',
      'a b\n\nc',
    ],
    ['inline elements joined', 'a<b>b</b><i>c</i> <span>d</span>', 'abc d'],
    ['whitespace collapsed and trimmed', '  <p>  lots \t of\n\n   space  </p>  ', 'lots of space'],
    [
      'script, style, noscript, template and iframe contents dropped',
      'a<script>if (a < b) document.write("<p>x</p>")</script>b<style>p { color: red }</style>c' +
        '<noscript>no</noscript>d<template><p>t</p></template>e<iframe>i</iframe>f',
      'abcdef',
    ],
    ['raw-text end tags matched case-insensitively', 'a<SCRIPT>x</Script >b', 'ab'],
    ['comments dropped', 'a<!-- hidden <p> -->b<!---->c', 'abc'],
    ['quoted > inside attributes', '<a href="x>y" title=\'>\'>link</a> tail', 'link tail'],
    ['a lone < kept as text', 'a < b and 3<4', 'a < b and 3<4'],
    [
      'declarations and processing instructions dropped',
      '<!DOCTYPE html><?xml version="1.0"?>text',
      'text',
    ],
    [
      'plain text keeps its blank-line paragraphs',
      'First line\nsame paragraph\n\n  Second &amp; last',
      'First line same paragraph\n\nSecond & last',
    ],
  ])('handles %s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('returns an empty string for empty or markup-only input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<p> </p><br><div></div><!-- x -->')).toBe('');
  });

  it.each([
    ['an unclosed tag', 'before <a href="x" and the rest is inside the tag', 'before'],
    ['an unclosed comment', 'before <!-- and everything after', 'before'],
    ['an unclosed script', 'before <script> var x = 1; <p>hidden</p>', 'before'],
    ['an unclosed CDATA section', 'before <![CDATA[ raw <b> text', 'before raw <b> text'],
  ])('lets %s swallow the rest of the input, as a browser does', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  describe('on hostile input', () => {
    it('reads 1 MB of nested <div>', () => {
      expect(htmlToText(`${'<div>'.repeat(200_000)}deep${'</div>'.repeat(200_000)}`)).toBe('deep');
    });

    it('keeps a megabyte of < without > as text', () => {
      expect(htmlToText('<'.repeat(1_000_000))).toBe('<'.repeat(1_000_000));
    });

    it.each([
      ['unclosed tags', '<a'.repeat(500_000)],
      ['unclosed comments', '<!--'.repeat(100_000)],
      ['unclosed end tags', '</'.repeat(500_000)],
      ['unclosed declarations', '<!'.repeat(500_000)],
      ['unclosed scripts', '<script>'.repeat(100_000)],
      ['unterminated quoted attributes', '<a b="'.repeat(200_000)],
    ])('reads 100k+ %s', (_name, html) => {
      expect(htmlToText(html)).toBe('');
    });

    it('reads 200k line breaks', () => {
      expect(htmlToText('x<br>\n'.repeat(200_000)).split('\n')).toHaveLength(200_000);
    });

    it('reads a megabyte of ampersands', () => {
      expect(htmlToText('&'.repeat(1_000_000))).toHaveLength(1_000_000);
    });
  });

  it('reads text inside markup as its words separated by single spaces, whatever the whitespace', () => {
    const space = fc.constantFrom(
      ' ',
      '  ',
      '\n',
      '\t',
      '\r\n',
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
    );
    const word = fc.constantFrom('UN', 'talks', 'Бишкеке', '2021', ',', '—');
    const inline = fc.constantFrom('<b>', '</b>', '<a href="x  y">', '</a>', '<span\nclass=a>');
    fc.assert(
      fc.property(fc.array(fc.oneof(space, word, inline), { maxLength: 40 }), (parts) => {
        const words = parts.filter((p) => !p.startsWith('<')).join('');
        expect(htmlToText(`<p>${parts.join('')}</p>`)).toBe(
          words.split(/\s+/).filter(Boolean).join(' '),
        );
      }),
    );
  });

  it('never throws and always returns trimmed text with at most one blank line in a row', () => {
    const piece = fc.constantFrom(
      '<p>',
      '</p>',
      '<br>',
      '<div>',
      '<!--',
      '-->',
      '<script>',
      '</script>',
      '&amp;',
      '&#',
      ';',
      '<',
      '>',
      '"',
      '=',
      ' ',
      '\n',
      'word',
      '<![CDATA[',
      ']]>',
      '&nbsp;',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        const text = htmlToText(parts.join(''));
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\n\s*\n\s*\n/);
      }),
    );
  });

  it('returns plain single-line text unchanged apart from whitespace', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[<&\n\r]/.test(s)),
        (s) => {
          expect(htmlToText(s)).toBe(s.trim().replace(/\s+/g, ' '));
        },
      ),
    );
  });
});
