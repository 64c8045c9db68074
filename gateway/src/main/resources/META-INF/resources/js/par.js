// Hospitals' par status (GET /locations/{id}/suggested-order of each hospital, polled): per hospital, the keys below
// their min on hand and what would bring every key back to target (target + forecast - on hand - in transit - on order).
import { t, formatNumber, componentName } from './i18n.js';
import { el, clear } from './dom.js';

export function render(root, hospitals, { locationName }) {
  clear(root);
  const shown = hospitals.filter(h => h.lines && h.lines.length);
  if (!shown.length) {
    root.append(el('p', { class: 'empty' }, t('par.empty')));
    return;
  }
  for (const h of shown) {
    const below = h.lines.filter(l => l.onHand < l.min);
    const toOrder = h.lines.filter(l => l.quantity > 0);
    const row = el('div', { class: `par ${below.length ? 'par-below' : 'par-ok'}`, 'data-testid': `par-${h.id}`,
      'data-below': String(below.length) },
      el('span', { class: 'par-name' }, locationName(h.id)),
      el('span', { class: 'par-keys' }, t('par.keys', { n: h.lines.length })),
      below.length
        ? el('span', { class: 'par-alert' }, t('par.below', { n: below.length }) + ': '
          + below.map(l => `${componentName(l.component)} ${l.abo}${l.rhd === 'POS' ? '+' : '-'} `
            + `${formatNumber(l.onHand, 0)}/${formatNumber(l.min, 0)}`).join(', '))
        : el('span', { class: 'par-fine' }, t('par.fine')),
      toOrder.length
        ? el('span', { class: 'par-suggest' }, t('par.suggest', { n: toOrder.length }))
        : null);
    root.append(row);
  }
}
