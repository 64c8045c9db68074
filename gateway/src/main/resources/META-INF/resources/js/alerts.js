// Active alerts: supply levels (GET /alerts?active=true), temperature excursions and no-data sensors (storage
// points' equipment and GET /storage-points/{id}/alerts?active=true), service-level breaches (open orders) and
// open recalls (GET /recalls: units whose holders have not acknowledged them yet).
import { t, componentName, groupLabel, formatTime, formatNumber } from './i18n.js';
import { el, clear } from './dom.js';

const RANK = { RECALL: 0, RED: 0, EXCURSION: 1, BREACH: 2, ORANGE: 3, NO_DATA: 4, OUT_OF_RANGE: 5, YELLOW: 6, GREEN: 7, OTHER: 8 };

/** Every alert as {kind, severity, text, since, key}. */
export function collect({ supply = [], points = [], pointAlerts = new Map(), breaches = [], recalls = [], locationName }) {
  const out = [];
  // an open recall: a unit of it not yet acknowledged by its holder (GET /recalls)
  for (const r of recalls) {
    const pending = (r.units || []).filter(u => !u.acknowledgedAt);
    if (pending.length === 0) continue;
    const holders = [...new Set(pending.map(u => locationName(u.locationId)))].join(t('alerts.listSeparator'));
    out.push({
      kind: 'RECALL', severity: 'RECALL', key: `R|${r.id}`, since: r.createdAt,
      text: t('alerts.recall', { din: r.din, pending: pending.length, total: (r.units || []).length, holders }),
    });
  }
  for (const a of supply) {
    if (a.clearedAt) continue;
    const scope = !a.scope || a.scope === 'REGION' ? t('alerts.scopeRegion') : locationName(a.scope);
    out.push({
      kind: 'SUPPLY', severity: a.level, key: `S|${a.id}`, since: a.since,
      text: `${scope} · ${t('alerts.supply', {
        group: groupLabel(a.abo, a.rhd), component: componentName(a.component), level: t(`level.${a.level}`),
        days: a.daysOfSupply === null || a.daysOfSupply === undefined ? t('board.noData')
          : `${formatNumber(a.daysOfSupply, 1)} ${t('board.dayUnit')}`,
      })}`,
    });
  }
  const seen = new Set();
  for (const p of points) {
    const pointName = p.name || p.id;
    const equipment = new Map((p.equipment || []).map(e => [e.id, e]));
    for (const a of pointAlerts.get(p.id) || p.activeAlerts || []) {
      if (a.clearedAt) continue;
      const kind = a.kind === 'NO_DATA' ? 'NO_DATA' : a.kind === 'EXCURSION' ? 'EXCURSION' : 'OTHER';
      seen.add(`${p.id}|${a.equipmentId}|${kind}`);
      out.push({
        kind, severity: kind, key: `P|${a.id}`, since: a.since || a.raisedAt,
        text: t(kind === 'NO_DATA' ? 'alerts.noData' : kind === 'EXCURSION' ? 'alerts.excursion' : 'alerts.other', {
          point: pointName, equipment: a.equipmentId, kind: a.kind,
          temp: temperature(equipment.get(a.equipmentId)),
        }),
      });
    }
    for (const e of p.equipment || []) {
      const state = e.state;
      if (!['EXCURSION', 'OUT_OF_RANGE', 'NO_DATA'].includes(state) || seen.has(`${p.id}|${e.id}|${state}`)) continue;
      seen.add(`${p.id}|${e.id}|${state}`);
      out.push({
        kind: state, severity: state, key: `E|${p.id}|${e.id}|${state}`,
        since: state === 'NO_DATA' ? e.noDataSince : e.lastReading && e.lastReading.at,
        text: t(state === 'NO_DATA' ? 'alerts.noData' : state === 'EXCURSION' ? 'alerts.excursion' : 'alerts.outOfRange',
          { point: pointName, equipment: e.id, temp: temperature(e) }),
      });
    }
  }
  for (const o of breaches) {
    out.push({
      kind: 'BREACH', severity: 'BREACH', key: `O|${o.id}`, since: o.breachedAt || o.dueBy,
      text: t('alerts.breach', { id: o.id, location: locationName(o.locationId) }),
    });
  }
  out.sort((a, b) => (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9)
    || String(a.since || '').localeCompare(String(b.since || '')));
  return out;
}

function temperature(e) {
  if (!e || !e.lastReading || e.lastReading.celsius === null || e.lastReading.celsius === undefined) return '';
  return `${formatNumber(e.lastReading.celsius, 1)} °C`;
}

export function render(list, alerts) {
  clear(list);
  for (const a of alerts) {
    list.append(el('li', { class: `alert sev-${a.severity}`, 'data-testid': 'alert-item', 'data-kind': a.kind,
      'data-severity': a.severity },
    el('span', { class: 'badge' }, badge(a)),
    el('span', { class: 'text' }, a.text),
    a.since ? el('span', { class: 'since' }, t('alerts.since', { time: formatTime(a.since) })) : null));
  }
}

function badge(a) {
  switch (a.kind) {
    case 'SUPPLY': return t(`level.${a.severity}`);
    case 'EXCURSION': return t('state.EXCURSION');
    case 'OUT_OF_RANGE': return t('state.OUT_OF_RANGE');
    case 'NO_DATA': return t('state.NO_DATA');
    case 'BREACH': return t('orders.breached');
    case 'RECALL': return t('alerts.recallBadge');
    default: return '!';
  }
}
