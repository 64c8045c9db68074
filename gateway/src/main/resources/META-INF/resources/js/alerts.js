// Active alerts: supply levels (GET /alerts?active=true), temperature excursions and no-data sensors (storage
// points' equipment and GET /storage-points/{id}/alerts?active=true), service-level breaches (open orders) and
// open recalls (GET /recalls: units whose holders have not acknowledged them yet, holder by holder), and EMERGENCY /
// URGENT order lines waiting for a bag that meets their special requirements (GET /alerts/waiting). Supply alerts
// are kept up to date from the `alert` events of /stock/stream (applyEvent), with their donor recruitment counts.
import { t, componentName, componentUom, groupLabel, formatTime, formatDay, formatNumber, requirementName } from './i18n.js';
import { el, clear } from './dom.js';

const RANK = { WAITING_EMERGENCY: -1, RECALL: 0, RED: 0, WAITING_URGENT: 2, EXCURSION: 1, BREACH: 2, ORANGE: 3, NO_DATA: 4, OUT_OF_RANGE: 5, YELLOW: 6, GREEN: 7, OTHER: 8 };

/** Every alert as {kind, severity, text, since, key, data?, details?}. */
export function collect({ supply = [], points = [], pointAlerts = new Map(), breaches = [], recalls = [], waiting = [],
  locationName }) {
  const out = [];
  // an EMERGENCY or URGENT line no bag in stock can fill: what it asks that nothing has (GET /alerts/waiting)
  for (const w of waiting) {
    const unmet = (w.unmet || []).map(requirementName).join(t('alerts.listSeparator'));
    out.push({
      kind: 'WAITING', severity: `WAITING_${w.priority}`, key: `W|${w.orderId}|${w.lineNo}`, since: w.since,
      data: { 'data-order-id': w.orderId, 'data-line-no': w.lineNo, 'data-priority': w.priority,
        'data-unmet': (w.unmet || []).join(',') },
      text: t('alerts.waiting', {
        priority: t(`priority.${w.priority}`), id: w.orderId, location: locationName(w.locationId),
        group: groupLabel(w.abo, w.rhd), component: componentName(w.component),
        quantity: `${w.waitingQuantity} ${t(`uom.${w.uom}`)}`, unmet,
        bags: w.bagsInStock,
      }),
    });
  }
  // an open recall: units of it not yet acknowledged, holder by holder, and how many are (GET /recalls)
  for (const r of recalls) {
    const units = r.units || [];
    const pending = units.filter(u => !u.acknowledgedAt);
    if (pending.length === 0) continue;
    const byHolder = new Map();
    for (const u of pending) byHolder.set(u.locationId, (byHolder.get(u.locationId) || 0) + 1);
    const acknowledged = units.length - pending.length;
    out.push({
      kind: 'RECALL', severity: 'RECALL', key: `R|${r.id}`, since: r.createdAt,
      data: { 'data-recall-id': r.id, 'data-acknowledged': acknowledged, 'data-total': units.length },
      text: t('alerts.recall', { din: r.din, acknowledged, total: units.length }),
      details: [...byHolder.entries()].map(([id, n]) => ({
        testid: `recall-holder-${id}`, data: { 'data-location-id': id, 'data-pending': n },
        text: t('alerts.recallHolder', { holder: locationName(id) === id ? id : `${locationName(id)} ${id}`, n }),
      })),
    });
  }
  for (const a of supply) {
    if (a.clearedAt) continue;
    const scope = !a.scope || a.scope === 'REGION' ? t('alerts.scopeRegion') : locationName(a.scope);
    const r = a.recruitment;
    out.push({
      kind: 'SUPPLY', severity: a.level, key: `S|${a.id}`, since: a.since,
      data: { 'data-alert-id': a.id, 'data-scope': a.scope || 'REGION', 'data-component': a.component,
        'data-abo': a.abo, 'data-rhd': a.rhd },
      text: `${scope} · ${t('alerts.supply', {
        group: groupLabel(a.abo, a.rhd), component: componentName(a.component), level: t(`level.${a.level}`),
        days: a.daysOfSupply === null || a.daysOfSupply === undefined ? t('board.noData')
          : `${formatNumber(a.daysOfSupply, 1)} ${t('board.dayUnit')}`,
      })}`,
      details: r ? [recruitmentLine(a.component, r)] : [],
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

/** "appeal: 22 U needed by 12/08, 2 donations / 3.5 U since 12/01 14:02" for a region alert's recruitment. */
function recruitmentLine(component, r) {
  const uom = componentUom(component);
  const amount = (n, digits) => `${formatNumber(n, digits)}${uom ? ` ${t(`uom.${uom}`)}` : ''}`;
  return {
    testid: 'alert-recruitment',
    data: { 'data-units-needed': r.unitsNeeded, 'data-donations-since': r.donationsSince,
      'data-units-since': r.unitsSince, 'data-requested-at': r.requestedAt },
    text: t('alerts.recruitment', {
      needed: amount(r.unitsNeeded, 0), by: formatDay(r.byDate),
      donations: r.donationsSince, units: amount(r.unitsSince, Number.isInteger(r.unitsSince) ? 0 : 1),
      since: formatTime(r.requestedAt),
    }),
  };
}

/**
 * The supply alerts after one `alert` event of /stock/stream ({id, component, abo, rhd, scope, level, since,
 * clearedAt, recruitment}): a cleared alert leaves the list, a raised one (a change of level is a clearing and a
 * raising) takes its place by id. Returns a new array; an event without an id changes nothing.
 */
export function applyEvent(supply, change) {
  if (!change || !change.id) return supply;
  const rest = (supply || []).filter(a => a.id !== change.id);
  return change.clearedAt ? rest : [change, ...rest];
}

function temperature(e) {
  if (!e || !e.lastReading || e.lastReading.celsius === null || e.lastReading.celsius === undefined) return '';
  return `${formatNumber(e.lastReading.celsius, 1)} °C`;
}

export function render(list, alerts) {
  clear(list);
  for (const a of alerts) {
    const details = a.details && a.details.length
      ? el('ul', { class: 'alert-details', 'data-testid': 'alert-details' }, ...a.details.map(d =>
        el('li', { 'data-testid': d.testid, ...(d.data || {}) }, d.text)))
      : null;
    list.append(el('li', { class: `alert sev-${a.severity}`, 'data-testid': 'alert-item', 'data-kind': a.kind,
      'data-severity': a.severity, ...(a.data || {}) },
    el('span', { class: 'badge' }, badge(a)),
    el('span', { class: 'text' }, a.text, details),
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
    case 'WAITING': return t('alerts.waitingBadge');
    default: return '!';
  }
}
