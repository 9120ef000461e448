// Synthetic one-minute bars for the forecasting tests: a seeded random walk with a U-shaped
// volume over the session, `barsPerDay` minutes from 09:30 on each of `days` days.
import { mulberry32 } from '../../src/index.ts';

export function syntheticCsv({ days = 3, barsPerDay = 40, seed = 1 }: { days?: number; barsPerDay?: number; seed?: number } = {}): string {
  const random = mulberry32(seed);
  const lines = ['Datetime,Open,High,Low,Close,Adj Close,Volume'];
  let close = 100;
  for (let d = 0; d < days; d++) {
    const day = `2024-05-${String(10 + d).padStart(2, '0')}`;
    for (let m = 0; m < barsPerDay; m++) {
      const minute = 570 + m;
      const open = close;
      close = open * Math.exp((random() - 0.5) * 0.002);
      const high = Math.max(open, close) * (1 + random() * 0.001);
      const low = Math.min(open, close) * (1 - random() * 0.001);
      const u = (m - barsPerDay / 2) / barsPerDay;
      const volume = Math.round(1e5 * (1 + 8 * u * u) * (0.5 + random()));
      const hh = String(Math.floor(minute / 60)).padStart(2, '0');
      const mm = String(minute % 60).padStart(2, '0');
      lines.push(`${day} ${hh}:${mm}:00-04:00,${open},${high},${low},${close},${close},${volume}`);
    }
  }
  return lines.join('\n') + '\n';
}
