// The wastage page (GET /api/v1/reports/wastage): month by month the units wasted by reason (stacked bars) and the
// region's wastage rate against the station's target (GET /config.json: wastageTarget), the reasons and the locations.
import { api } from './api.js';
import { t, formatNumber, locale } from './i18n.js';
import { el, clear, $ } from './dom.js';

const REASON_COLOURS = {
  EXPIRED: '#f08c00', BROKEN: '#868e96', TEMPERATURE: '#e03131', POSITIVE_TEST: '#9c36b5',
  RETURN_NOT_REUSABLE: '#1971c2', RECALLED: '#c2255c', NOT_USED: '#2f9e44', QUALITY: '#5c940d', OTHER: '#adb5bd',
};
const REASONS = Object.keys(REASON_COLOURS);

let target = null;
let last = null;
let chart = null;

/** A date of the report's period in the viewer's calendar (the station's, for its dispatchers). */
function day(iso) {
  return new Date(iso).toLocaleDateString(locale());
}

function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${formatNumber(rate * 100, 2)} %`;
}

async function loadTarget() {
  if (target !== null) return target;
  const config = await fetch('/config.json', { cache: 'no-store' }).then(r => r.json()).catch(() => ({}));
  target = typeof config.wastageTarget === 'number' ? config.wastageTarget : null;
  return target;
}

/** Opens the page and loads the last twelve months. */
export async function open({ locationName, onError }) {
  const dialog = $('[data-testid="wastage"]');
  if (!dialog.open) dialog.showModal();
  $('.wastage-summary', dialog).textContent = t('common.loading');
  try {
    const [goal, byMonthReason, byMonth, byLocation, byReason] = await Promise.all([
      loadTarget(),
      api('/reports/wastage?by=month,reason'),
      api('/reports/wastage?by=month'),
      api('/reports/wastage?by=location'),
      api('/reports/wastage?by=reason'),
    ]);
    last = { goal, byMonthReason, byMonth, byLocation, byReason, locationName };
    render();
  } catch (e) {
    $('.wastage-summary', dialog).textContent = '';
    onError(e);
  }
}

/** Draws again (a language switch). */
export function render() {
  const dialog = $('[data-testid="wastage"]');
  if (!last || !dialog.open) return;
  const { goal, byMonthReason, byMonth, byLocation, byReason, locationName } = last;
  const totals = byMonth.totals;
  const summary = $('.wastage-summary', dialog);
  clear(summary);
  const over = goal !== null && totals.wastageRate !== null && totals.wastageRate > goal;
  summary.append(
    el('span', {}, t('wastage.period', { from: day(byMonth.from), to: day(byMonth.to) })),
    el('span', {}, t('wastage.issued', { n: totals.issued })),
    el('span', {}, t('wastage.wasted', { n: totals.wasted })),
    el('span', { class: over ? 'rate over' : 'rate', 'data-testid': 'wastage-rate' },
      t('wastage.rate', { rate: percent(totals.wastageRate) })),
    goal === null ? null : el('span', { 'data-testid': 'wastage-target' }, t('wastage.target', { rate: percent(goal) })));

  const months = byMonth.rows.map(r => r.month);
  drawChart($('[data-testid="wastage-chart"]', dialog), months, byMonthReason.rows, byMonth.rows, goal);

  const reasons = $('[data-testid="wastage-reasons"] tbody', dialog);
  clear(reasons);
  for (const r of byReason.rows) {
    reasons.append(el('tr', { 'data-reason': r.reason },
      el('td', {}, el('span', { class: 'swatch', style: `background:${REASON_COLOURS[r.reason]}` }), t(`reason.${r.reason}`)),
      el('td', { class: 'num' }, r.wasted), el('td', { class: 'num' }, percent(r.wastageRate))));
  }
  const locations = $('[data-testid="wastage-locations"] tbody', dialog);
  clear(locations);
  for (const r of byLocation.rows) {
    locations.append(el('tr', { 'data-location': r.locationId },
      el('td', {}, locationName(r.locationId), ' ', el('span', { class: 'lid' }, r.locationId)),
      el('td', { class: 'num' }, r.issued), el('td', { class: 'num' }, r.wasted),
      el('td', { class: goal !== null && r.wastageRate !== null && r.wastageRate > goal ? 'num over' : 'num' },
        percent(r.wastageRate))));
  }
  locations.append(el('tr', { class: 'region' }, el('td', {}, t('wastage.region')),
    el('td', { class: 'num' }, totals.issued), el('td', { class: 'num' }, totals.wasted),
    el('td', { class: 'num' }, percent(totals.wastageRate))));
}

function drawChart(node, months, reasonRows, monthRows, goal) {
  if (!window.echarts || !node) return;
  if (!chart) chart = window.echarts.init(node, null, { renderer: 'canvas' });
  const present = REASONS.filter(reason => reasonRows.some(r => r.reason === reason));
  const wasted = (month, reason) => reasonRows.filter(r => r.month === month && r.reason === reason)
    .reduce((n, r) => n + r.wasted, 0);
  const rate = month => {
    const row = monthRows.find(r => r.month === month);
    return row && row.wastageRate !== null ? Math.round(row.wastageRate * 10000) / 100 : null;
  };
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 44, top: 34, bottom: 24 },
    legend: { top: 0, type: 'scroll', itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: months, axisLabel: { fontSize: 10 } },
    yAxis: [
      { type: 'value', name: t('wastage.units'), minInterval: 1, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      { type: 'value', name: '%', splitLine: { show: false }, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
    ],
    series: [
      ...present.map(reason => ({
        name: t(`reason.${reason}`), type: 'bar', stack: 'wasted', barMaxWidth: 28,
        itemStyle: { color: REASON_COLOURS[reason] }, data: months.map(m => wasted(m, reason)),
      })),
      {
        name: t('wastage.rateSeries'), type: 'line', yAxisIndex: 1, symbolSize: 6, itemStyle: { color: '#212529' },
        data: months.map(rate),
        markLine: goal === null ? undefined : {
          symbol: 'none', lineStyle: { color: '#e03131', type: 'dashed' },
          label: { formatter: t('wastage.targetLine', { rate: percent(goal) }), position: 'insideEndTop', fontSize: 10 },
          data: [{ yAxis: Math.round(goal * 10000) / 100 }],
        },
      },
    ],
  }, true);
  chart.resize();
}
