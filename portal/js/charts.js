// Charts drawn as inline SVG. Each chart is an image with a text summary (aria-label); views also show the same
// numbers in a table, which is the full text alternative.
import { svg, h, uid } from './dom.js';
import { t } from './i18n.js';

const WIDTH = 600;

/**
 * Horizontal bars, one row per item, label above its bar so long names fit on a phone.
 * items: [{ label, value, text }] where value is 0..max and text is the shown value ("75 %").
 */
export function barChart({ title, items, max = 1 }) {
  const rowHeight = 46;
  const barLeft = 0;
  const barWidth = WIDTH - 90;
  const height = Math.max(items.length, 1) * rowHeight + 8;
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: 'chart chart--bars',
    role: 'img',
    'aria-label': `${title}: ${items.map((item) => `${item.label} ${item.text}`).join('; ') || t('common.noData')}`,
    preserveAspectRatio: 'xMinYMin meet',
  });

  items.forEach((item, index) => {
    const y = index * rowHeight;
    const width = max > 0 ? Math.max(0, Math.min(1, item.value / max)) * barWidth : 0;
    chart.append(
      svg('text', { x: barLeft, y: y + 15, class: 'chart__label' }, item.label),
      svg('rect', { x: barLeft, y: y + 22, width: barWidth, height: 16, class: 'chart__track', rx: 2 }),
      svg('rect', { x: barLeft, y: y + 22, width: Math.max(width, item.value > 0 ? 2 : 0), height: 16, class: 'chart__bar', rx: 2 }),
      svg('text', { x: barLeft + barWidth + 8, y: y + 35, class: 'chart__value' }, item.text),
    );
  });

  return figure(title, chart);
}

/** Vertical bars of counts per bucket: [{ label, count }]. */
export function histogram({ title, buckets }) {
  const height = 250;
  const top = 24;
  const bottom = 44;
  const plotHeight = height - top - bottom;
  const slot = WIDTH / Math.max(buckets.length, 1);
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: 'chart chart--histogram',
    role: 'img',
    'aria-label': `${title}: ${buckets.map((bucket) => `${bucket.label} ${bucket.count}`).join('; ')}`,
    preserveAspectRatio: 'xMinYMin meet',
  });

  chart.append(svg('line', { x1: 0, x2: WIDTH, y1: top + plotHeight, y2: top + plotHeight, class: 'chart__axis' }));
  buckets.forEach((bucket, index) => {
    const barHeight = (bucket.count / max) * plotHeight;
    const x = index * slot + slot * 0.15;
    const centre = index * slot + slot / 2;
    chart.append(
      svg('rect', { x, y: top + plotHeight - barHeight, width: slot * 0.7, height: barHeight, class: 'chart__bar' }),
      svg('text', { x: centre, y: top + plotHeight - barHeight - 6, class: 'chart__value', 'text-anchor': 'middle' }, String(bucket.count)),
      svg('text', { x: centre, y: height - bottom + 20, class: 'chart__label chart__label--small', 'text-anchor': 'middle' }, bucket.label),
    );
  });

  return figure(title, chart);
}

/**
 * Horizontal stacked bars with a legend: rows [{ label, segments: [{ key, value }] }], series [{ key, label, className }].
 */
export function stackedBars({ title, rows, series }) {
  const rowHeight = 46;
  const barWidth = WIDTH - 60;
  const height = Math.max(rows.length, 1) * rowHeight + 8;
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: 'chart chart--stacked',
    role: 'img',
    'aria-label': `${title}: ${rows.map((row) => `${row.label}: ${row.segments.map((segment) => `${labelOf(series, segment.key)} ${segment.value}`).join(', ')}`).join('; ')}`,
    preserveAspectRatio: 'xMinYMin meet',
  });

  rows.forEach((row, index) => {
    const y = index * rowHeight;
    const total = row.segments.reduce((sum, segment) => sum + segment.value, 0);
    chart.append(svg('text', { x: 0, y: y + 15, class: 'chart__label' }, row.label));
    let x = 0;
    for (const segment of row.segments) {
      const width = total > 0 ? (segment.value / total) * barWidth : 0;
      if (width > 0) {
        const className = series.find((entry) => entry.key === segment.key)?.className ?? '';
        chart.append(svg('rect', { x, y: y + 22, width, height: 16, class: `chart__segment ${className}` }));
      }

      x += width;
    }

    chart.append(svg('text', { x: barWidth + 8, y: y + 35, class: 'chart__value' }, String(total)));
  });

  const legend = h('ul', { class: 'chart-legend' },
    series.map((entry) => h('li', {}, h('span', { class: `chart-legend__swatch ${entry.className}`, 'aria-hidden': 'true' }), entry.label)));
  return figure(title, chart, legend);
}

function figure(title, chart, ...extra) {
  const captionId = uid('chart');
  return h('figure', { class: 'chart-figure', 'aria-labelledby': captionId },
    h('figcaption', { id: captionId, class: 'chart-figure__title' }, title),
    chart,
    ...extra);
}

function labelOf(series, key) {
  return series.find((entry) => entry.key === key)?.label ?? key;
}
