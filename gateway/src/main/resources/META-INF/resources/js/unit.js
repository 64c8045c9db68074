// One unit looked up by DIN, component and division (GET /units/{din}/{component}?division=): status, place, expiry,
// the special attributes and the ledger history, in the dialog data-testid="unit-detail".
import { t, componentName, groupLabel, formatTime, label } from './i18n.js';
import { el, clear, $ } from './dom.js';

/** The path of the lookup, or null when no DIN is given. */
export function path({ din, component, division }) {
  const d = String(din || '').replace(/\s+/g, '');
  if (!d) return null;
  const div = String(division || '').trim();
  return `/units/${encodeURIComponent(d)}/${encodeURIComponent(component)}`
    + (div ? `?division=${encodeURIComponent(div)}` : '');
}

/** Fills the component choice from the catalogue (code and name in the current language), keeping the selection. */
export function fillComponents(select, components) {
  const selected = select.value;
  clear(select);
  for (const c of components) {
    select.append(el('option', { value: c.code }, `${c.code} ${componentName(c.code)}`));
  }
  if (selected) select.value = selected;
}

function flag(value) {
  return value ? t('unit.yes') : t('unit.no');
}

/** Renders {@code u} (a Unit with history) into the dialog. */
export function render(dialog, u, { locationName }) {
  $('[data-testid="unit-title"]', dialog).textContent = t('unit.title', {
    din: u.din, component: `${componentName(u.component)} (${u.component})${u.division ? ` · ${u.division}` : ''}`,
  });
  dialog.dataset.din = u.din;
  dialog.dataset.component = u.component;
  dialog.dataset.status = u.status;
  const facts = $('[data-testid="unit-facts"]', dialog);
  clear(facts);
  const fact = (key, value, testid, cls) => {
    facts.append(el('dt', {}, t(key)), el('dd', { 'data-testid': testid, class: cls }, value));
  };
  const place = u.locationId ? (locationName(u.locationId) === u.locationId ? u.locationId
    : `${locationName(u.locationId)} ${u.locationId}`) : '';
  fact('unit.status', label('unitStatus', u.status), 'unit-status');
  fact('unit.location', place, 'unit-location');
  fact('unit.group', groupLabel(u.abo, u.rhd), 'unit-group');
  fact('unit.quantity', `${u.quantity} ${t(`uom.${u.uom}`)} · ${u.volumeMl} ml`, 'unit-quantity');
  fact('unit.collectedAt', formatTime(u.collectedAt), 'unit-collected');
  fact('unit.expiresAt', formatTime(u.expiresAt), 'unit-expires');
  fact('unit.equipment', u.equipmentId || '—', 'unit-equipment');
  fact('unit.order', u.orderId || '—', 'unit-order');
  fact('unit.irradiated', flag(u.irradiated), 'unit-irradiated', u.irradiated ? 'flag-yes' : '');
  fact('unit.cmvNegative', flag(u.cmvNegative), 'unit-cmv-negative', u.cmvNegative ? 'flag-yes' : '');
  fact('unit.lowTitre', flag(u.lowTitre), 'unit-low-titre', u.lowTitre ? 'flag-yes' : '');
  fact('unit.antigenNegative', (u.antigenNegative || []).length ? u.antigenNegative.join(' ') : t('unit.none'),
    'unit-antigen-negative');
  fact('unit.productCode', u.productCode || '—', 'unit-product-code');
  const tbody = $('[data-testid="unit-history"] tbody', dialog);
  clear(tbody);
  for (const h of u.history || []) {
    tbody.append(el('tr', { 'data-testid': 'unit-history-row', 'data-type': h.type },
      el('td', {}, formatTime(h.at)),
      el('td', {}, label('move', h.type)),
      el('td', {}, h.locationId ? `${locationName(h.locationId)}` : ''),
      el('td', {}, h.actor || ''),
      el('td', {}, h.detail || '')));
  }
  $('[data-testid="unit-error"]', dialog).textContent = '';
}

/** Shows why the lookup failed, with no unit left from an earlier one. */
export function fail(dialog, text) {
  $('[data-testid="unit-title"]', dialog).textContent = t('unit.lookup');
  delete dialog.dataset.din;
  delete dialog.dataset.status;
  clear($('[data-testid="unit-facts"]', dialog));
  clear($('[data-testid="unit-history"] tbody', dialog));
  $('[data-testid="unit-error"]', dialog).textContent = text;
}
