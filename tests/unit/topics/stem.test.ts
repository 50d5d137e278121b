import { describe, expect, it } from 'vitest';
import { stem } from '../../../src/topics/stem';

describe('stem', () => {
  it.each([
    [['туркменистан', 'туркменистана', 'туркменистану', 'туркменистаном', 'туркменистане']],
    [['азия', 'азии', 'азию', 'азией']],
    [['центральная', 'центральной', 'центральную']],
    [
      [
        'контртеррористическое',
        'контртеррористического',
        'контртеррористической',
        'контртеррористическая',
        'контртеррористическим',
      ],
    ],
    [['управление', 'управления', 'управлению', 'управлением', 'управлении']],
    [['терроризм', 'терроризма', 'терроризму', 'терроризмом']],
    [['террористы', 'террористов', 'террористами', 'террористах']],
    [['организация', 'организации', 'организацией']],
    [['безопасность', 'безопасности']],
  ])('gives Russian case forms one stem: %j', (forms) => {
    expect(new Set(forms.map(stem)).size).toBe(1);
  });

  it.each([
    [['terrorist', 'terrorists']],
    [['country', 'countries']],
    [['talk', 'talks', 'talked', 'talking']],
    [['finance', 'financing', 'financed']],
    [['state', 'states', 'stated']],
    [['plan', 'planned', 'planning']],
    [['address', 'addresses']],
    [['uzbek', 'uzbeks']],
  ])('gives English inflections one stem: %j', (forms) => {
    expect(new Set(forms.map(stem)).size).toBe(1);
  });

  it.each([
    ['un', 'un'],
    ['us', 'us'],
    ['gas', 'gas'],
    ['news', 'news'],
    ['caucasus', 'caucasus'],
    ['crisis', 'crisis'],
    ['class', 'class'],
    ['оон', 'оон'],
    ['сша', 'сша'],
    ['2021', '2021'],
    ['c5', 'c5'],
  ])('leaves %j alone', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each([
    ['казахстан', 'узбекистан'],
    ['terrorism', 'terrorist'],
    ['азия', 'аз'],
  ])('does not merge %j with %j', (a, b) => {
    expect(stem(a)).not.toBe(stem(b));
  });
});
