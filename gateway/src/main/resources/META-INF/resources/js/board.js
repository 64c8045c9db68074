// The balance board: components × the eight ABO/RhD groups, each cell with the station's quantity, the hospitals',
// the storage points' and what is in transit, the days of supply and the level's colour.
// Rows come from GET /stock/balance; stock events from the stream update a cell in place in between.
import { t, components, componentName, componentUom, groupLabel, formatNumber, formatTime } from './i18n.js';
import { el, clear } from './dom.js';

export const GROUPS = [
  ['O', 'POS'], ['O', 'NEG'], ['A', 'POS'], ['A', 'NEG'],
  ['B', 'POS'], ['B', 'NEG'], ['AB', 'POS'], ['AB', 'NEG'],
];
const LEVELS = ['GREEN', 'YELLOW', 'ORANGE', 'RED'];

export const keyOf = (component, abo, rhd) => `${component}|${abo}|${rhd}`;
const testKey = key => key.replace(/\|/g, '-');

const rows = new Map();     // key -> balance row
const byLocation = new Map(); // key -> Map(locationId -> quantity), from GET /stock and the stream
let stockComplete = false;
const cells = new Map();    // key -> {td, station, hospitals, storagePoints, inTransit, days}
let selectedComponent = null;
let onCellClick = () => {};
let onComponentSelect = () => {};

export function kindOf(locationId) {
  if (locationId === 'STATION') return 'station';
  if (/^H\d{3}$/.test(locationId)) return 'hospitals';
  if (/^SP\d{2}$/.test(locationId)) return 'storagePoints';
  return null; // REGION and anything else
}

/** Builds the empty board once: every component of the catalogue × the eight groups. */
export function build(table, { cellClick, componentSelect }) {
  onCellClick = cellClick;
  onComponentSelect = componentSelect;
  const head = table.querySelector('thead tr');
  const body = table.querySelector('tbody');
  clear(head);
  clear(body);
  head.append(el('th', { class: 'corner', 'data-i18n-board': 'board.component' }));
  for (const [abo, rhd] of GROUPS) {
    head.append(el('th', { class: `grp ${rhd === 'NEG' ? 'neg' : 'pos'}`, scope: 'col' }, groupLabel(abo, rhd)));
  }
  for (const c of components()) {
    const label = el('th', { class: 'comp', scope: 'row', 'data-component': c.code, tabindex: '0',
      'data-testid': `component-${c.code}` });
    label.addEventListener('click', () => onComponentSelect(c.code));
    label.addEventListener('keydown', e => { if (e.key === 'Enter') onComponentSelect(c.code); });
    const tr = el('tr', { 'data-component': c.code }, label);
    for (const [abo, rhd] of GROUPS) {
      const key = keyOf(c.code, abo, rhd);
      const tk = testKey(key);
      const station = el('span', { class: 'qs', 'data-testid': `qty-station-${tk}` }, '0');
      const hospitals = el('span', { class: 'qh', 'data-testid': `qty-hospitals-${tk}` }, '0');
      const storagePoints = el('span', { class: 'qp', 'data-testid': `qty-storage-points-${tk}` }, '0');
      const inTransit = el('span', { class: 'qt', 'data-testid': `qty-in-transit-${tk}` }, '0');
      const days = el('span', { class: 'dv', 'data-testid': `days-${tk}` }, '—');
      const hLabel = el('span', { class: 'k kh' });
      const pLabel = el('span', { class: 'k kp' });
      const tLabel = el('span', { class: 'k kt' });
      const dUnit = el('span', { class: 'k kd' });
      const td = el('td', {
        class: 'cell lvl-NONE', tabindex: '0', role: 'button', 'data-testid': `cell-${tk}`, 'data-level': 'NONE',
        'data-component': c.code, 'data-abo': abo, 'data-rhd': rhd,
      },
      el('div', { class: 'q' }, el('span', { class: 'qq' }, station, el('span', { class: 'u' })),
        el('span', { class: 'dos' }, days, dUnit)),
      el('div', { class: 'sub' },
        el('span', { class: 'si' }, hLabel, hospitals),
        el('span', { class: 'si' }, pLabel, storagePoints),
        el('span', { class: 'si' }, tLabel, inTransit)));
      td.addEventListener('click', () => onCellClick(key));
      td.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onCellClick(key); } });
      tr.append(td);
      cells.set(key, { td, station, hospitals, storagePoints, inTransit, days, hLabel, pLabel, tLabel, dUnit });
    }
    body.append(tr);
  }
  relabel(table);
}

/** Texts that depend on the language. */
export function relabel(table) {
  table.querySelectorAll('[data-i18n-board]').forEach(e => { e.textContent = t(e.dataset.i18nBoard); });
  table.querySelectorAll('th.comp').forEach(th => {
    const code = th.dataset.component;
    clear(th);
    th.append(el('span', { class: 'code' }, code, el('span', { class: 'uom' }, ` ${t(`uom.${componentUom(code)}`)}`)),
      el('span', { class: 'name' }, componentName(code)));
    th.title = `${componentName(code)} (${code})`;
    th.classList.toggle('selected', code === selectedComponent);
  });
  for (const key of cells.keys()) render(key);
}

function compact(n) {
  if (n === null || n === undefined) return '0';
  if (Math.abs(n) >= 10000) return `${formatNumber(n / 1000, 0)}k`;
  if (Math.abs(n) >= 1000) return `${formatNumber(n / 1000, 1)}k`;
  return formatNumber(n);
}

/** The figures of one cell: the balance row, with the per-location quantities the stream has updated since. */
export function figures(key) {
  const row = rows.get(key);
  const f = {
    station: row ? row.station : 0,
    hospitals: row ? row.hospitals : 0,
    storagePoints: row ? row.storagePoints : 0,
    inTransit: row ? row.inTransit : 0,
    daysOfSupply: row ? row.daysOfSupply : null,
    level: row && row.level ? row.level : null,
    openDemand: row ? row.openDemand : 0,
    unallocatedDemand: row ? row.unallocatedDemand : 0,
    forecastDemand: row ? row.forecastDemand : 0,
    avgDailyIssue: row ? row.avgDailyIssue : null,
  };
  const locs = byLocation.get(key);
  if (locs) {
    f.station = 0; f.hospitals = 0; f.storagePoints = 0;
    for (const [loc, qty] of locs) {
      const kind = kindOf(loc);
      if (kind) f[kind] += qty;
    }
  }
  return f;
}

function render(key) {
  const c = cells.get(key);
  if (!c) return;
  const [component, abo, rhd] = key.split('|');
  const f = figures(key);
  const level = LEVELS.includes(f.level) ? f.level : 'NONE';
  c.td.className = `cell lvl-${level}`;
  c.td.dataset.level = level;
  c.station.textContent = String(f.station);
  c.station.nextSibling.textContent = t(`uom.${componentUom(component)}`);
  c.hospitals.textContent = compact(f.hospitals);
  c.storagePoints.textContent = compact(f.storagePoints);
  c.inTransit.textContent = compact(f.inTransit);
  c.hLabel.textContent = t('board.h');
  c.pLabel.textContent = t('board.sp');
  c.tLabel.textContent = t('board.t');
  c.days.textContent = f.daysOfSupply === null || f.daysOfSupply === undefined ? '—' : formatNumber(f.daysOfSupply, 1);
  c.dUnit.textContent = f.daysOfSupply === null || f.daysOfSupply === undefined ? '' : t('board.dayUnit');
  const uom = t(`uom.${componentUom(component)}`);
  c.td.title = [
    `${componentName(component)} ${groupLabel(abo, rhd)} · ${t(`level.${level}`)}`,
    `${t('board.station')}: ${f.station} ${uom}`,
    `${t('board.hospitals')}: ${f.hospitals} ${uom}`,
    `${t('board.storagePoints')}: ${f.storagePoints} ${uom}`,
    `${t('board.inTransit')}: ${f.inTransit} ${uom}`,
    `${t('board.days')}: ${c.days.textContent}`,
    `${t('board.openDemand')}: ${f.openDemand} (${t('board.unallocated')} ${f.unallocatedDemand})`,
  ].join('\n');
  c.td.setAttribute('aria-label', c.td.title.replace(/\n/g, '; '));
}

function flash(key) {
  const c = cells.get(key);
  if (!c) return;
  c.td.classList.remove('flash');
  void c.td.offsetWidth; // restart the animation
  c.td.classList.add('flash');
}

/** The board from GET /stock/balance. */
export function setBalance(board) {
  rows.clear();
  for (const r of board.rows || []) rows.set(keyOf(r.component, r.abo, r.rhd), r);
  for (const key of cells.keys()) render(key);
  return board.asOf;
}

/**
 * Every location's quantities from GET /stock. Only the station sees every location (complete); for other callers
 * the board's sums stay those of GET /stock/balance.
 */
export function setStock(view, complete) {
  byLocation.clear();
  stockComplete = complete;
  if (!complete) {
    for (const key of cells.keys()) render(key);
    return;
  }
  for (const item of view.items || []) {
    if (!kindOf(item.locationId)) continue;
    const key = keyOf(item.component, item.abo, item.rhd);
    if (!byLocation.has(key)) byLocation.set(key, new Map());
    byLocation.get(key).set(item.locationId, item.quantity);
  }
  for (const key of cells.keys()) render(key);
}

/** A `stock` event (one location's stock item): the cell follows at once. */
export function applyStockItem(item) {
  if (!item || !item.component || !kindOf(item.locationId)) return null;
  const key = keyOf(item.component, item.abo, item.rhd);
  if (stockComplete) {
    if (!byLocation.has(key)) byLocation.set(key, new Map()); // nothing anywhere until now
    byLocation.get(key).set(item.locationId, item.quantity);
  } else if (item.locationId === 'STATION') {
    // every location's split is unknown here: only the station's own figure can be set exactly
    const row = rows.get(key) || { component: item.component, abo: item.abo, rhd: item.rhd, station: 0, hospitals: 0,
      storagePoints: 0, inTransit: 0, openDemand: 0, unallocatedDemand: 0, daysOfSupply: null, level: null };
    row.station = item.quantity;
    rows.set(key, row);
  }
  render(key);
  flash(key);
  return key;
}

export function quantitiesAt(key) {
  return byLocation.get(key) || new Map();
}

export function selectComponent(code, table) {
  selectedComponent = code;
  table.querySelectorAll('th.comp').forEach(th => th.classList.toggle('selected', th.dataset.component === code));
}

export function selectedComponentCode() {
  return selectedComponent;
}

/** The component to chart first: the red cells with the most stock (leukocyte-reduced ones when equal). */
export function preferredComponent() {
  const totals = new Map();
  for (const [key, r] of rows) {
    const c = key.split('|')[0];
    totals.set(c, (totals.get(c) || 0) + r.station + r.hospitals + r.storagePoints);
  }
  let best = 'RBC_LR';
  for (const c of ['RBC_LR', 'RBC', 'WB']) if ((totals.get(c) || 0) > (totals.get(best) || 0)) best = c;
  return best;
}

export function describeKey(key) {
  const [component, abo, rhd] = key.split('|');
  return `${componentName(component)} (${component}) ${groupLabel(abo, rhd)}`;
}

export { formatTime };
