import { describe, expect, it } from 'vitest';
import { leansOnPrevious } from '../../../src/text/references';

describe('leansOnPrevious', () => {
  it.each([
    'This was announced by the ministry.',
    'It is expected to arrive in six days.',
    'He denied the charges.',
    'She said talks would resume.',
    'They were taken to hospital.',
    'According to him, the banks will provide $3.2 billion.',
    'However, the ministry declined to comment.',
    'In addition, the parties noted the declaration.',
    '"We expect strong interest," he said.',
    '“We are ready,” she told reporters.',
    'Он уточнил, что проект обойдется в 4 млрд долларов.',
    'Она подчеркнула важность диалога.',
    'Это связано с ужесточением правил.',
    'По его словам, соглашение подписано.',
    'Об этом сообщила пресс-служба.',
    'При этом цены выросли.',
    '«Мы готовы», — сказал он.',
    '"Мы все потребляем информацию на русском языке", - сказал он.',
    '«Мы готовы», — заявил.',
  ])('finds a reference in: %s', (sentence) => {
    expect(leansOnPrevious(sentence)).toBe(true);
  });

  it.each([
    'Kazakhstan raised its oil output.',
    'The U.N. Security Council met on Tuesday.',
    'Italy and Kazakhstan signed a deal.',
    'Theatre season opened in Almaty.',
    'Heavy rain flooded three villages.',
    'Items worth $1 million were seized.',
    '"This verdict was written in advance," his wife told reporters.',
    '«Школы будут построены за два года», — сказал министр просвещения.',
    'Онкологический центр открылся в Оше.',
    'Этнический фестиваль прошел в Бишкеке.',
    'По словам министра, соглашение подписано.',
  ])('finds none in: %s', (sentence) => {
    expect(leansOnPrevious(sentence)).toBe(false);
  });
});
