// Storage points with their equipment's latest temperatures (GET /storage-points, polled).
import { t, formatNumber, formatAge, formatTime } from './i18n.js';
import { el, clear } from './dom.js';

export function render(root, points, { pointAlerts, locationName }) {
  clear(root);
  if (!points.length) {
    root.append(el('p', { class: 'empty' }, t('sp.empty')));
    return;
  }
  const now = Date.now();
  for (const p of points) {
    const alerts = (pointAlerts.get(p.id) || p.activeAlerts || []).filter(a => !a.clearedAt);
    const bags = (p.stock || []).reduce((n, s) => n + (s.bags || 0), 0);
    const table = el('table', { class: 'equipment' });
    for (const e of p.equipment || []) {
      const r = e.lastReading;
      const state = e.state || (r ? (r.inRange ? 'IN_RANGE' : 'OUT_OF_RANGE') : 'NO_DATA');
      const range = e.minCelsius !== undefined && e.maxCelsius !== undefined && e.minCelsius !== null
        ? `${formatNumber(e.minCelsius, 0)}…${formatNumber(e.maxCelsius, 0)} °C` : '';
      table.append(el('tr', { class: `eq st-${state}`, 'data-testid': `equip-${e.id}`, 'data-state': state },
        el('td', { class: 'eid' }, el('div', {}, e.id), el('div', { class: 'kind' }, t(`equip.${e.kind}`))),
        el('td', { class: 'temp', 'data-testid': `temp-${e.id}` },
          r && r.celsius !== null && r.celsius !== undefined ? `${formatNumber(r.celsius, 1)} °C` : t('sp.noReading')),
        el('td', { class: 'range' }, range),
        el('td', { class: 'age', title: r ? formatTime(r.at) : '' }, r && r.at ? t('common.ago', { t: formatAge(now - Date.parse(r.at)) }) : ''),
        el('td', {}, el('span', { class: `state st-${state}` }, t(`state.${state}`)))));
    }
    root.append(el('div', { class: 'sp', 'data-testid': `sp-${p.id}` },
      el('div', { class: 'sp-head' },
        el('span', { class: 'sp-name' }, `${p.name || p.id}`),
        el('span', { class: 'sp-id' }, p.id),
        el('span', { class: 'sp-host' }, t('sp.host', { host: locationName(p.hostHospitalId) })),
        el('span', { class: 'sp-stock' }, t('sp.stock', { bags })),
        alerts.length ? el('span', { class: 'sp-alerts' }, t('sp.alerts', { n: alerts.length })) : null),
      table));
  }
}
