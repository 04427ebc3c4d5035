// Calls and spend per hour as inline SVG: a bar per hour (refused and cut calls in their own colour), the spend as a
// line on its own scale, a tick per day. The figures are also given as text for screen readers.
import { s } from './dom.js';
import { t, fmt } from './i18n.js';

const W = 840;
const H = 200;
const PAD = { l: 36, r: 56, t: 10, b: 24 };

export function hourChart(hours, currency) {
  const n = hours.length || 1;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const maxCalls = Math.max(1, ...hours.map((x) => x.calls));
  const maxSpend = Math.max(0.01, ...hours.map((x) => x.spend));
  const bw = iw / n;
  const y = (v, max) => PAD.t + ih - (v / max) * ih;
  const total = hours.reduce((a, x) => ({ calls: a.calls + x.calls, spend: a.spend + x.spend }), {
    calls: 0,
    spend: 0,
  });
  const label = t('chart.summary', {
    days: Math.round(n / 24),
    calls: fmt.num(total.calls),
    spend: fmt.money(total.spend, currency),
  });
  const bars = [];
  const days = [];
  hours.forEach((x, i) => {
    const x0 = PAD.l + i * bw;
    if (x.calls > 0) {
      const bad = x.refused + x.cut;
      const yAll = y(x.calls, maxCalls);
      bars.push(
        s(
          'rect',
          { class: 'bar-ok', x: x0, y: yAll, width: Math.max(1, bw - 0.5), height: PAD.t + ih - yAll },
          s('title', {}, `${fmt.dateTime(x.at)}: ${t('chart.calls', { n: x.calls, refused: bad })}`),
        ),
      );
      if (bad > 0) {
        const yBad = y(bad, maxCalls);
        bars.push(
          s('rect', { class: 'bar-bad', x: x0, y: yBad, width: Math.max(1, bw - 0.5), height: PAD.t + ih - yBad }),
        );
      }
    }
    // A tick at each local midnight, and one at the start unless a midnight comes within 6 hours.
    const midnight = new Date(x.at).getHours() === 0;
    if (midnight || (i === 0 && !hours.slice(1, 6).some((y) => new Date(y.at).getHours() === 0))) {
      days.push(s('line', { class: 'grid', x1: x0, x2: x0, y1: PAD.t, y2: PAD.t + ih }));
      days.push(s('text', { class: 'axis', x: x0 + 2, y: H - 6 }, fmt.day(x.at)));
    }
  });
  const points = hours
    .map((x, i) => `${(PAD.l + (i + 0.5) * bw).toFixed(1)},${y(x.spend, maxSpend).toFixed(1)}`)
    .join(' ');
  return s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'none' },
    s('title', {}, label),
    days,
    s('line', { class: 'axis-line', x1: PAD.l, x2: W - PAD.r, y1: PAD.t + ih, y2: PAD.t + ih }),
    s('text', { class: 'axis', x: PAD.l - 4, y: PAD.t + 8, 'text-anchor': 'end' }, fmt.num(maxCalls)),
    s('text', { class: 'axis', x: PAD.l - 4, y: PAD.t + ih, 'text-anchor': 'end' }, '0'),
    s('text', { class: 'axis spend', x: W - PAD.r + 4, y: PAD.t + 8 }, fmt.money(maxSpend, currency)),
    bars,
    s('polyline', { class: 'spend-line', points, fill: 'none' }),
  );
}
