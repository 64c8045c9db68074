// Charts with Apache ECharts (vendor/echarts/echarts.min.js, from the org.webjars.npm:echarts Maven artifact).
import { t, groupLabel, formatNumber } from './i18n.js';
import { GROUPS, keyOf, figures } from './board.js';

export const LEVEL_COLOURS = { GREEN: '#2f9e44', YELLOW: '#f1c40f', ORANGE: '#f76707', RED: '#e03131', NONE: '#adb5bd' };
const charts = new Map();

function chartOn(node) {
  if (!window.echarts || !node) return null;
  let chart = charts.get(node);
  if (!chart) {
    chart = window.echarts.init(node, null, { renderer: 'canvas' });
    charts.set(node, chart);
  }
  return chart;
}

window.addEventListener('resize', () => charts.forEach(c => c.resize()));

export function resizeAll() {
  charts.forEach(c => c.resize());
}

/**
 * One component by group: the stock at the station, the hospitals, the storage points and in transit (stacked bars)
 * and the days of supply (points in the level's colour, right axis).
 */
export function daysOfSupply(node, component, uom) {
  const chart = chartOn(node);
  if (!chart || !component) return;
  const figs = GROUPS.map(([abo, rhd]) => figures(keyOf(component, abo, rhd)));
  const stack = (field, name, color) => ({
    name, type: 'bar', stack: 'q', barMaxWidth: 26, itemStyle: { color }, data: figs.map(f => f[field] || 0),
  });
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 30, top: 30, bottom: 20 },
    legend: { top: 0, type: 'scroll', itemWidth: 10, itemHeight: 8, itemGap: 6, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: GROUPS.map(([a, r]) => groupLabel(a, r)), axisLabel: { fontSize: 10 } },
    yAxis: [
      { type: 'value', name: uom, nameGap: 4, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 }, minInterval: 1 },
      { type: 'value', name: t('board.dayUnit'), nameGap: 4, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 },
        splitLine: { show: false }, minInterval: 1 },
    ],
    series: [
      stack('station', t('board.station'), '#364fc7'),
      stack('hospitals', t('board.hospitals'), '#74c0fc'),
      stack('storagePoints', t('board.storagePoints'), '#63e6be'),
      stack('inTransit', t('board.inTransit'), '#ced4da'),
      {
        name: t('board.days'), type: 'scatter', yAxisIndex: 1, symbolSize: 9,
        data: figs.map(f => ({
          value: f.daysOfSupply === null || f.daysOfSupply === undefined ? null : Math.round(f.daysOfSupply * 10) / 10,
          itemStyle: { color: LEVEL_COLOURS[f.level] || LEVEL_COLOURS.NONE, borderColor: '#fff' },
        })),
        tooltip: { valueFormatter: v => (v === null || v === undefined ? t('board.noData') : `${formatNumber(v, 1)} ${t('board.dayUnit')}`) },
      },
    ],
  }, true);
}

/** Bags by location, those expiring within 72 h apart. */
export function byLocation(node, items, locationName) {
  const chart = chartOn(node);
  if (!chart) return;
  const names = items.map(i => locationName(i.locationId));
  chart.setOption({
    animation: false,
    grid: { left: 110, right: 16, top: 28, bottom: 20 },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 11, width: 100, overflow: 'truncate' } },
    series: [
      { name: t('detail.available'), type: 'bar', stack: 'bags', itemStyle: { color: '#4c6ef5' },
        data: items.map(i => Math.max(0, (i.bags || 0) - (i.expiringWithin72h || 0))) },
      { name: t('detail.expiringSoon'), type: 'bar', stack: 'bags', itemStyle: { color: '#f76707' },
        data: items.map(i => i.expiringWithin72h || 0) },
    ],
  }, true);
}
