// The open orders queue, sorted by dueBy, with countdowns, breaches highlighted and dispatch from the page.
import { t, componentUom, groupLabel, formatTime, getLang } from './i18n.js';
import { el, clear } from './dom.js';

export const OPEN_STATUSES = ['SUBMITTED', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED'];
const rowsById = new Map(); // id -> {tr, signature}

export function isBreached(order, now = Date.now()) {
  return Boolean(order.breached) || (order.dueBy ? Date.parse(order.dueBy) < now : false);
}

export function dispatchable(order) {
  if (order.status === 'ALLOCATED') return true;
  if (order.status !== 'PARTIALLY_ALLOCATED' && order.status !== 'BACKORDERED') return false;
  return (order.lines || []).some(l => (l.allocatedQuantity || 0) > 0);
}

/** Open orders, the soonest due first (orders without dueBy last). */
export function sortByDue(orders) {
  const due = o => (o.dueBy ? Date.parse(o.dueBy) : Number.MAX_SAFE_INTEGER);
  return [...orders].sort((a, b) => due(a) - due(b) || String(a.id).localeCompare(String(b.id)));
}

export function linesText(order) {
  return (order.lines || []).map(l => {
    const uom = t(`uom.${l.uom || componentUom(l.component)}`);
    return `${l.component} ${groupLabel(l.abo, l.rhd)} ${l.quantity}${uom}`;
  }).join('; ');
}

function countdownText(dueBy, now) {
  if (!dueBy) return '—';
  let ms = Date.parse(dueBy) - now;
  const late = ms < 0;
  ms = Math.abs(ms);
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  const text = `${d > 0 ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
  return late ? t('orders.overdue', { time: text }) : text;
}

/** Updates every countdown on the page (called every second). */
export function tick(root) {
  const now = Date.now();
  root.querySelectorAll('[data-due]').forEach(span => {
    span.textContent = countdownText(span.dataset.due, now);
    const late = span.dataset.due && Date.parse(span.dataset.due) < now;
    const soon = !late && span.dataset.due && Date.parse(span.dataset.due) - now < 30 * 60 * 1000;
    span.classList.toggle('late', Boolean(late));
    span.classList.toggle('soon', Boolean(soon));
    const tr = span.closest('tr');
    if (tr && late) tr.classList.add('breached');
  });
}

function rowFor(order, { locationName, canDispatch, onDispatch }) {
  const breached = isBreached(order);
  const due = el('span', { class: 'countdown', 'data-due': order.dueBy || '', 'data-testid': `due-${order.id}` });
  const lines = el('ul', { class: 'lines' });
  for (const l of order.lines || []) {
    const uom = t(`uom.${l.uom || componentUom(l.component)}`);
    lines.append(el('li', {},
      el('span', { class: 'lc' }, `${l.component} ${groupLabel(l.abo, l.rhd)}`),
      ` ${l.quantity}${uom} `,
      el('span', { class: `la ${(l.allocatedQuantity || 0) >= l.quantity ? 'full' : 'part'}`,
        title: t('orders.allocated', { a: l.allocatedQuantity || 0, q: l.quantity }) },
      `${l.allocatedQuantity || 0}/${l.quantity}`)));
  }
  const action = el('td', { class: 'act' });
  if (canDispatch && dispatchable(order)) {
    const b = el('button', { type: 'button', class: 'dispatch', 'data-testid': `dispatch-${order.id}` }, t('orders.dispatch'));
    b.addEventListener('click', () => onDispatch(order));
    action.append(b);
  }
  return el('tr', {
    class: `order prio-${order.priority}${breached ? ' breached' : ''}`, 'data-testid': `order-${order.id}`,
    'data-order-id': order.id, 'data-status': order.status, 'data-breached': String(breached),
  },
  el('td', { class: 'due' }, due,
    el('div', { class: 'due-at' }, formatTime(order.dueBy)),
    breached ? el('div', { class: 'breach-flag', 'data-testid': `breached-${order.id}` }, t('orders.breached')) : null),
  el('td', { class: 'oid' },
    el('div', { class: 'loc', title: order.locationId }, locationName(order.locationId)),
    el('div', { class: 'id', title: order.id }, order.id),
    el('div', { class: 'badges' },
      el('span', { class: `prio prio-${order.priority}` }, t(`priority.${order.priority}`)),
      el('span', { class: `status st-${order.status}`, 'data-testid': `status-${order.id}` }, t(`status.${order.status}`)))),
  el('td', { class: 'ol' }, lines),
  action);
}

/** Renders the queue; rows whose order did not change are kept (so a button under the pointer stays). */
export function render(tbody, orders, options) {
  const seen = new Set();
  const sorted = sortByDue(orders);
  sorted.forEach(order => {
    const signature = JSON.stringify([order, getLang(), options.canDispatch]);
    let entry = rowsById.get(order.id);
    if (!entry || entry.signature !== signature) {
      const tr = rowFor(order, options);
      if (entry) entry.tr.replaceWith(tr);
      entry = { tr, signature };
      rowsById.set(order.id, entry);
    }
    seen.add(order.id);
    tbody.append(entry.tr); // appending an attached row moves it: the order follows dueBy
  });
  for (const [id, entry] of rowsById) {
    if (!seen.has(id)) {
      entry.tr.remove();
      rowsById.delete(id);
    }
  }
  tick(tbody);
  return sorted;
}

export function reset(tbody) {
  rowsById.clear();
  clear(tbody);
}
