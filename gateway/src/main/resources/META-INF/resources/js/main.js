// The station dispatch dashboard: wires login, the live stock stream, the polled panels and the language switch.
import * as auth from './auth.js';
import { api, ApiError, idempotencyKey, setUnauthorizedHandler } from './api.js';
import { openStream } from './sse.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import * as board from './board.js';
import * as orders from './orders.js';
import * as alerts from './alerts.js';
import * as storage from './storage.js';
import * as par from './par.js';
import * as wastage from './wastage.js';
import * as charts from './charts.js';
import * as unitDetail from './unit.js';
import { el, clear, $ } from './dom.js';

const BOARD_MIN_INTERVAL = 4000;   // GET /stock/balance at most this often after stream events
const BOARD_POLL = 30000;          // and at least this often (demand and forecasts change without a stock event)
const PANEL_POLL = 10000;          // recalls, waiting lines, storage points, par status: no stream exists for them
const ORDERS_SAFETY_POLL = 60000;  // orders move on /orders/stream; a slow full read corrects anything missed
const SUPPLY_ALERT_POLL = 60000;   // supply alerts come live on /stock/stream; this safety poll also refreshes the
                                   // recruitment counts (donations change them without an alert event)

const state = {
  user: null,
  names: new Map(),
  orders: [],
  supply: [],
  points: [],
  pointAlerts: new Map(),
  recalls: [],
  waiting: [],
  hospitals: null,
  par: null,
  unit: null,
  detailKey: null,
  started: false,
};

const boardTable = $('[data-testid="board"]');

function locationName(id) {
  if (!id) return '';
  return state.names.get(id) || id;
}

function isStation() {
  const roles = state.user ? state.user.roles : [];
  return state.user && (state.user.locationId === 'STATION' || roles.includes('station-dispatcher')
    || roles.includes('station-qa'));
}

function canDispatch() {
  return Boolean(state.user && state.user.roles.includes('station-dispatcher'));
}

function describe(error) {
  if (error instanceof ApiError && error.status === 403) return t('common.forbidden');
  return t('common.error', { detail: error.message || String(error) });
}

function panelError(testid, error) {
  const node = $(`[data-testid="${testid}"]`);
  if (!node) return;
  node.textContent = error ? describe(error) : '';
  node.hidden = !error;
}

let toastTimer = null;
function toast(text, kind = 'info') {
  const node = $('[data-testid="toast"]');
  node.textContent = text;
  node.className = `toast ${kind}`;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 8000);
}

// ---------------------------------------------------------------------------------------------------------- login

function showAuthMessage(text, withButton) {
  const box = $('[data-testid="auth-message"]');
  $('.auth-text', box).textContent = text;
  $('[data-testid="login"]', box).hidden = !withButton;
  box.hidden = false;
}

function showUser(user) {
  state.user = user;
  const status = $('[data-testid="login-status"]');
  const logout = $('[data-testid="logout"]');
  if (user) {
    status.textContent = user.name;
    status.title = [user.displayName, user.locationId, user.roles.filter(r => !r.startsWith('default-')
      && !['offline_access', 'uma_authorization'].includes(r)).join(', ')].filter(Boolean).join(' · ');
    status.dataset.user = user.name;
    logout.hidden = false;
  } else {
    status.textContent = t('auth.signedOut');
    delete status.dataset.user;
    logout.hidden = true;
  }
}

function sessionEnded() {
  if (auth.user()) return;
  showUser(null);
  showAuthMessage(t('auth.expired'), true);
}

// ---------------------------------------------------------------------------------------------------------- board

let boardRunning = false;
let boardDirty = false;
let boardLast = 0;
let boardTimer = null;

function scheduleBoardRefresh() {
  if (boardRunning) {
    boardDirty = true;
    return;
  }
  const wait = boardLast + BOARD_MIN_INTERVAL - Date.now();
  if (wait > 0) {
    if (!boardTimer) boardTimer = setTimeout(() => { boardTimer = null; scheduleBoardRefresh(); }, wait);
    return;
  }
  refreshBoard();
}

async function refreshBoard() {
  boardRunning = true;
  boardDirty = false;
  boardLast = Date.now();
  try {
    const station = isStation();
    const [balance, stock] = await Promise.all([
      api('/stock/balance'),
      station ? api('/stock').catch(() => null) : Promise.resolve(null),
    ]);
    board.setStock(stock || { items: [] }, Boolean(stock));
    const asOf = board.setBalance(balance);
    $('[data-testid="as-of"]').textContent = asOf ? i18n.formatClock(asOf) : '';
    $('[data-testid="as-of"]').dataset.asOf = asOf || '';
    boardTable.dataset.loaded = 'true';
    panelError('board-error', null);
    if (!board.selectedComponentCode()) {
      selectComponent(board.preferredComponent());
    } else {
      drawChart(board.selectedComponentCode());
    }
  } catch (e) {
    panelError('board-error', e);
  } finally {
    boardRunning = false;
    if (boardDirty) scheduleBoardRefresh();
  }
}

function selectComponent(code) {
  board.selectComponent(code, boardTable);
  $('.chart-component').textContent = `${i18n.componentName(code)} (${code})`;
  drawChart(code);
}

function drawChart(code) {
  charts.daysOfSupply($('[data-testid="dos-chart"]'), code, t(`uom.${i18n.componentUom(code)}`));
}

// --------------------------------------------------------------------------------------------------------- detail

let detailTimer = null;

async function openDetail(key) {
  state.detailKey = key;
  const dialog = $('[data-testid="detail"]');
  $('.detail-title', dialog).textContent = board.describeKey(key);
  dialog.dataset.key = key.replace(/\|/g, '-');
  if (!dialog.open) dialog.showModal();
  await loadDetail();
}

async function loadDetail() {
  const key = state.detailKey;
  if (!key) return;
  const dialog = $('[data-testid="detail"]');
  const [component, abo, rhd] = key.split('|');
  const f = board.figures(key);
  const uom = t(`uom.${i18n.componentUom(component)}`);
  const summary = $('.detail-summary', dialog);
  clear(summary);
  const fact = (label, value) => el('span', { class: 'fact' }, el('span', { class: 'fl' }, label), el('b', {}, value));
  summary.append(
    el('span', { class: `lvl-badge lvl-${f.level || 'NONE'}` }, t(`level.${f.level || 'NONE'}`)),
    fact(t('board.station'), `${f.station} ${uom}`),
    fact(t('board.hospitals'), `${f.hospitals} ${uom}`),
    fact(t('board.storagePoints'), `${f.storagePoints} ${uom}`),
    fact(t('board.inTransit'), `${f.inTransit} ${uom}`),
    fact(t('board.days'), f.daysOfSupply === null || f.daysOfSupply === undefined ? '—'
      : `${i18n.formatNumber(f.daysOfSupply, 1)} ${t('board.dayUnit')}`),
    fact(t('board.openDemand'), `${f.openDemand} (${t('board.unallocated')} ${f.unallocatedDemand})`),
    fact(t('board.forecast'), `${f.forecastDemand}`),
    fact(t('board.avgDaily'), i18n.formatNumber(f.avgDailyIssue, 2)));
  const error = $('.detail-error', dialog);
  try {
    const view = await api(`/stock?component=${encodeURIComponent(component)}&abo=${encodeURIComponent(abo)}&rhd=${encodeURIComponent(rhd)}`);
    if (state.detailKey !== key) return;
    const order = id => (id === 'STATION' ? 0 : /^H/.test(id) ? 1 : /^SP/.test(id) ? 2 : 3);
    const items = (view.items || []).filter(i => i.quantity > 0 || i.locationId === 'REGION' || i.locationId === 'STATION')
      .sort((a, b) => order(a.locationId) - order(b.locationId) || a.locationId.localeCompare(b.locationId));
    const tbody = $('.detail-table tbody', dialog);
    clear(tbody);
    for (const i of items) {
      const region = i.locationId === 'REGION';
      tbody.append(el('tr', { class: region ? 'region' : '', 'data-testid': `detail-row-${i.locationId}` },
        el('td', {}, region ? t('detail.region') : `${locationName(i.locationId)}`,
          region ? null : el('span', { class: 'lid' }, ` ${i.locationId}`)),
        el('td', { class: 'num' }, String(i.bags)),
        el('td', { class: 'num' }, `${i.quantity} ${t(`uom.${i.uom}`)}`),
        el('td', { class: `num${i.expiringWithin72h > 0 ? ' expiring' : ''}` }, String(i.expiringWithin72h)),
        el('td', { class: 'num' }, i.daysOfSupply === null || i.daysOfSupply === undefined ? '—'
          : i18n.formatNumber(i.daysOfSupply, 1)),
        el('td', {}, el('span', { class: `lvl-badge lvl-${i.level || 'NONE'}` }, t(`level.${i.level || 'NONE'}`)))));
    }
    charts.byLocation($('[data-testid="detail-chart"]', dialog), items.filter(i => i.locationId !== 'REGION'), locationName);
    error.textContent = '';
  } catch (e) {
    error.textContent = describe(e);
  }
}

function detailChanged(key) {
  if (state.detailKey !== key || detailTimer) return;
  detailTimer = setTimeout(() => { detailTimer = null; loadDetail(); }, 1500);
}

// --------------------------------------------------------------------------------------------------------- orders

async function pollOrders() {
  try {
    const pages = await Promise.all(orders.OPEN_STATUSES.map(s => api(`/orders?status=${s}&limit=500`)));
    state.orders = pages.flatMap(p => p.items || []);
    renderOrders();
    panelError('orders-error', null);
  } catch (e) {
    panelError('orders-error', e);
  }
  renderAlerts();
}

function renderOrders() {
  const tbody = $('[data-testid="orders"] tbody');
  orders.render(tbody, state.orders, { locationName, canDispatch: canDispatch(), onDispatch: confirmDispatch });
  $('[data-testid="orders-count"]').textContent = String(state.orders.length);
  $('[data-testid="orders-empty"]').hidden = state.orders.length > 0;
}

function confirmDispatch(order) {
  const dialog = $('[data-testid="confirm-dialog"]');
  $('.confirm-text', dialog).textContent = t('orders.confirmText', {
    id: order.id, location: locationName(order.locationId), lines: orders.linesText(order),
  });
  dialog.dataset.orderId = order.id;
  const ok = $('[data-testid="confirm-ok"]', dialog);
  const cancel = $('[data-testid="confirm-cancel"]', dialog);
  const close = () => { ok.onclick = null; cancel.onclick = null; if (dialog.open) dialog.close(); };
  cancel.onclick = close;
  ok.onclick = async () => {
    close();
    await dispatch(order);
  };
  dialog.showModal();
  cancel.focus();
}

async function dispatch(order) {
  const button = $(`[data-testid="dispatch-${CSS.escape(order.id)}"]`);
  if (button) button.disabled = true;
  try {
    const note = await api(`/orders/${encodeURIComponent(order.id)}/dispatch`, {
      method: 'POST', headers: { 'Idempotency-Key': idempotencyKey() },
    });
    toast(t('orders.dispatched', { id: order.id, note: (note && note.no) || '' }), 'ok');
  } catch (e) {
    toast(t('orders.dispatchFailed', { id: order.id, detail: describe(e) }), 'error');
    if (button) button.disabled = false;
  }
  pollOrders();
  scheduleBoardRefresh();
}

// --------------------------------------------------------------------------------------------- alerts, storage points

async function pollSupplyAlerts() {
  try {
    const page = await api('/alerts?active=true&limit=500');
    state.supply = page.items || [];
    panelError('alerts-error', null);
  } catch (e) {
    panelError('alerts-error', e);
  }
  renderAlerts();
}

/** Recalls and waiting lines (no stream exists for them). */
async function pollOtherAlerts() {
  try {
    state.recalls = (await api('/recalls?limit=100')).items || [];
  } catch (e) {
    state.recalls = []; // a role that may not read recalls sees none
  }
  try {
    state.waiting = (await api('/alerts/waiting')).items || [];
  } catch (e) {
    state.waiting = []; // a role that may not read them sees none
  }
  renderAlerts();
}

function renderAlerts() {
  const breaches = state.orders.filter(o => orders.isBreached(o));
  const list = alerts.collect({ supply: state.supply, points: state.points || [], pointAlerts: state.pointAlerts,
    breaches, recalls: state.recalls || [], waiting: state.waiting || [], locationName });
  alerts.render($('[data-testid="alerts"]'), list);
  $('[data-testid="alerts-count"]').textContent = String(list.length);
  $('[data-testid="alerts-empty"]').hidden = list.length > 0;
}

async function pollStoragePoints() {
  try {
    const page = await api('/storage-points?limit=100');
    const points = page.items || [];
    const answers = await Promise.all(points.map(p => api(`/storage-points/${encodeURIComponent(p.id)}/alerts?active=true`)
      .then(a => [p.id, a.items || []]).catch(() => [p.id, null])));
    const pointAlerts = new Map();
    for (const [id, items] of answers) if (items) pointAlerts.set(id, items);
    state.points = points;
    state.pointAlerts = pointAlerts;
    panelError('storage-points-error', null);
  } catch (e) {
    state.points = null; // not known (e.g. 403 for a hospital): no "no storage points" either
    panelError('storage-points-error', e);
  }
  renderStoragePoints();
  renderAlerts();
}

async function pollParStatus() {
  if (!isStation() || !state.hospitals) return;
  try {
    state.par = await Promise.all(state.hospitals.map(id =>
      api(`/locations/${encodeURIComponent(id)}/suggested-order`).then(s => ({ id, lines: s.lines || [] }))));
    panelError('par-error', null);
  } catch (e) {
    state.par = null;
    panelError('par-error', e);
  }
  renderParStatus();
}

function renderParStatus() {
  if (!state.par) {
    clear($('[data-testid="par-status"]'));
    return;
  }
  par.render($('[data-testid="par-status"]'), state.par, { locationName });
}

function renderStoragePoints() {
  if (state.points === null) {
    clear($('[data-testid="storage-points"]'));
    return;
  }
  storage.render($('[data-testid="storage-points"]'), state.points, { pointAlerts: state.pointAlerts, locationName });
}

async function loadLocations() {
  try {
    const page = await api('/locations?limit=500');
    state.names = new Map((page.items || []).map(l => [l.id, l.name || l.id]));
    state.hospitals = (page.items || []).filter(l => l.kind === 'HOSPITAL').map(l => l.id);
    pollParStatus();
    renderAll();
  } catch (e) {
    // names are a convenience: ids are shown instead
  }
}

// ------------------------------------------------------------------------------------------------------ unit lookup

async function lookUpUnit(event) {
  event.preventDefault();
  const form = $('[data-testid="unit-lookup"]');
  const dialog = $('[data-testid="unit-detail"]');
  const path = unitDetail.path({ din: form.din.value, component: form.component.value, division: form.division.value });
  if (!dialog.open) dialog.showModal();
  if (!path) {
    state.unit = null;
    unitDetail.fail(dialog, t('unit.dinRequired'));
    return;
  }
  dialog.dataset.loading = 'true';
  try {
    state.unit = await api(path);
    unitDetail.render(dialog, state.unit, { locationName });
  } catch (e) {
    state.unit = null;
    unitDetail.fail(dialog, e instanceof ApiError && e.status === 404 ? t('unit.notFound')
      : e instanceof ApiError && e.code === 'DIN_INVALID' ? t('unit.dinInvalid') : describe(e));
  } finally {
    delete dialog.dataset.loading;
  }
}

// ------------------------------------------------------------------------------------------------- live stock stream

function streamState(s) {
  const node = $('[data-testid="stream-status"]');
  node.dataset.state = s;
  $('.stream-text', node).textContent = t(`stream.${s}`);
  node.title = t('stream.tooltip');
}

function onStreamEvent(e) {
  if (e.event === 'stock') {
    let item;
    try { item = JSON.parse(e.data); } catch (x) { return; }
    const key = board.applyStockItem(item);
    if (key) detailChanged(key);
    scheduleBoardRefresh();
  } else if (e.event === 'alert') {
    let change;
    try { change = JSON.parse(e.data); } catch (x) { return; }
    state.supply = alerts.applyEvent(state.supply || [], change);
    renderAlerts();
    scheduleBoardRefresh();
  }
}

// ------------------------------------------------------------------------------------------------- live order stream

/** An order moved (GET /orders/stream): read it again while it is open, drop it from the panel once it is not. */
async function onOrderEvent(e) {
  if (e.event !== 'order') return;
  let move;
  try { move = JSON.parse(e.data); } catch (x) { return; }
  let order = null;
  if (orders.OPEN_STATUSES.includes(move.status)) {
    try {
      order = await api(`/orders/${encodeURIComponent(move.id)}`);
    } catch (x) {
      return; // the safety poll corrects the panel
    }
  }
  const i = state.orders.findIndex(o => o.id === move.id);
  // a slower answer to an earlier move must not overwrite a later one: the history only grows
  if (order && i >= 0 && (order.history || []).length < (state.orders[i].history || []).length) return;
  if (!order || !orders.OPEN_STATUSES.includes(order.status)) {
    if (i < 0) return;
    state.orders.splice(i, 1);
  } else if (i >= 0) {
    state.orders[i] = order;
  } else {
    state.orders.unshift(order);
  }
  renderOrders();
  renderAlerts();
}

// ------------------------------------------------------------------------------------------------------------ start

function renderAll() {
  board.relabel(boardTable);
  const selected = board.selectedComponentCode();
  if (selected) selectComponent(selected);
  renderOrders();
  renderAlerts();
  renderStoragePoints();
  renderParStatus();
  wastage.render();
  streamState($('[data-testid="stream-status"]').dataset.state || 'idle');
  showUser(state.user);
  if (state.detailKey && $('[data-testid="detail"]').open) openDetail(state.detailKey);
  unitDetail.fillComponents($('[data-testid="unit-lookup-component"]'), i18n.components());
  if (state.unit && $('[data-testid="unit-detail"]').open) {
    unitDetail.render($('[data-testid="unit-detail"]'), state.unit, { locationName });
  }
}

function setupLanguage() {
  const button = $('[data-testid="lang-switch"]');
  const label = () => {
    const lang = i18n.getLang();
    button.textContent = lang === 'zh' ? 'English' : '中文';
    button.dataset.lang = lang;
    button.setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
    document.title = `Hemolink · ${t('app.title')}`;
  };
  button.addEventListener('click', () => i18n.setLang(i18n.getLang() === 'zh' ? 'en' : 'zh'));
  i18n.onLangChange(() => { label(); renderAll(); });
  document.documentElement.lang = i18n.locale();
  i18n.applyStatic(document);
  label();
}

function startLive() {
  if (state.started) return;
  state.started = true;
  $('[data-testid="auth-message"]').hidden = true;
  loadLocations();
  refreshBoard();
  setInterval(scheduleBoardRefresh, BOARD_POLL);
  // the streams are hot: on every (re)connection the alerts (or the orders) are read whole once, then kept by events
  openStream('/api/v1/stock/stream', { onEvent: onStreamEvent, onState: streamState,
    onOpen: () => { scheduleBoardRefresh(); pollSupplyAlerts(); } });
  openStream('/api/v1/orders/stream', { onEvent: onOrderEvent, onOpen: pollOrders });
  pollOrders();
  pollSupplyAlerts();
  pollOtherAlerts();
  pollStoragePoints();
  setInterval(pollOrders, ORDERS_SAFETY_POLL);
  setInterval(pollSupplyAlerts, SUPPLY_ALERT_POLL);
  setInterval(pollOtherAlerts, PANEL_POLL);
  setInterval(pollStoragePoints, PANEL_POLL);
  setInterval(pollParStatus, PANEL_POLL);
  setInterval(() => orders.tick($('[data-testid="orders"]')), 1000);
}

async function start() {
  setupLanguage();
  const catalogue = await fetch('catalogue.json').then(r => r.json());
  i18n.setCatalogue(catalogue.components);
  board.build(boardTable, { cellClick: openDetail, componentSelect: selectComponent });
  unitDetail.fillComponents($('[data-testid="unit-lookup-component"]'), i18n.components());
  $('[data-testid="unit-lookup"]').addEventListener('submit', lookUpUnit);
  $('[data-testid="unit-close"]').addEventListener('click', () => $('[data-testid="unit-detail"]').close());
  $('[data-testid="detail-close"]').addEventListener('click', () => {
    state.detailKey = null;
    $('[data-testid="detail"]').close();
  });
  $('[data-testid="detail"]').addEventListener('close', () => { state.detailKey = null; });
  $('[data-testid="wastage-open"]').addEventListener('click', () => wastage.open({
    locationName, onError: e => toast(describe(e), 'error'),
  }));
  $('[data-testid="wastage-close"]').addEventListener('click', () => $('[data-testid="wastage"]').close());
  $('[data-testid="logout"]').addEventListener('click', () => auth.logout());
  $('[data-testid="login"]').addEventListener('click', () => auth.login(i18n.getLang() === 'zh' ? 'zh-CN' : 'en'));
  auth.onChange(user => {
    showUser(user);
    if (!user) sessionEnded();
  });
  setUnauthorizedHandler(sessionEnded);
  streamState('idle');

  try {
    await auth.init();
  } catch (e) {
    showAuthMessage(t('auth.failed', { detail: e.message }), true);
    return;
  }
  if (!auth.user()) {
    showAuthMessage(t('auth.redirecting'), true);
    await auth.login(i18n.getLang() === 'zh' ? 'zh-CN' : 'en');
    return;
  }
  showUser(auth.user());
  startLive();
}

start().catch(e => showAuthMessage(t('auth.failed', { detail: e.message }), true));
