// Reading one-minute bars: the columns by name, and errors that name the line and the value.
import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../src/index.ts';

const HEADER = 'Datetime,Open,High,Low,Close,Adj Close,Volume';
const ROW1 = '2024-05-09 09:30:00-04:00,182.56,182.72,182.40,182.68,182.68,1058096';
const ROW2 = '2024-05-09 09:31:00-04:00,182.66,182.71,182.15,182.17,182.17,179851';

describe('parseBarsCsv', () => {
  it('reads each bar with its Datetime kept verbatim and its minute of the day', () => {
    const [a, b] = parseBarsCsv([HEADER, ROW1, ROW2].join('\n'));
    expect(a.datetime).toBe('2024-05-09 09:30:00-04:00');
    expect(a.day).toBe('2024-05-09');
    expect(a.minuteOfDay).toBe(570);
    expect([b.open, b.high, b.low, b.close, b.volume]).toEqual([182.66, 182.71, 182.15, 182.17, 179851]);
    expect(b.time - a.time).toBe(60_000);
  });

  it('finds the columns by name in any order (Adj Close optional)', () => {
    const [bar] = parseBarsCsv('Volume,Close,Low,High,Open,Datetime\n5,2,1,3,2.5,2024-05-09 10:00:00-04:00\n');
    expect([bar.open, bar.high, bar.low, bar.close, bar.volume, bar.minuteOfDay]).toEqual([2.5, 3, 1, 2, 5, 600]);
  });

  it('names a missing column', () => {
    expect(() => parseBarsCsv('Datetime,Open,High,Low,Close\n', 'x.csv')).toThrow(/x\.csv, line 1: no column 'Volume'/);
  });

  it('names the line of an unparseable number', () => {
    const bad = ROW2.replace('182.15', 'abc');
    expect(() => parseBarsCsv([HEADER, ROW1, bad].join('\n'), 'x.csv')).toThrow(/x\.csv, line 3: Low 'abc' is not a number/);
  });

  it('names the line of a missing field', () => {
    expect(() => parseBarsCsv([HEADER, '2024-05-09 09:30:00-04:00,1,2,0.5'].join('\n'), 'x.csv')).toThrow(/line 2: 4 fields, the header has 7/);
  });

  it('names the line of a minute out of order (and of a repeated minute)', () => {
    expect(() => parseBarsCsv([HEADER, ROW2, ROW1].join('\n'), 'x.csv')).toThrow(/line 3: minute '2024-05-09 09:30:00-04:00' is not after/);
    expect(() => parseBarsCsv([HEADER, ROW1, ROW1].join('\n'), 'x.csv')).toThrow(/line 3: .*out of order/);
  });

  it('names the line of an unreadable Datetime', () => {
    expect(() => parseBarsCsv([HEADER, ROW1.replace('2024-05-09 09:30', '09/05/2024 9:30')].join('\n'), 'x.csv')).toThrow(/line 2: Datetime/);
  });
});
