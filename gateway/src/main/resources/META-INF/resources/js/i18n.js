// Chinese and English, switchable in the header and remembered in localStorage.
// Component names come from catalogue.json (the contracts' Component catalogue).

const KEY = 'hemolink.lang';

const DICT = {
  zh: {
    'app.title': '区域血液调度',
    'stream.idle': '未连接',
    'stream.open': '实时',
    'stream.retry': '重连中…',
    'stream.tooltip': '库存实时流 /api/v1/stock/stream',
    'auth.signedOut': '未登录',
    'auth.login': '登录',
    'auth.logout': '退出',
    'auth.redirecting': '正在跳转到统一身份认证…',
    'auth.failed': '登录失败：{detail}',
    'auth.expired': '登录已过期，请重新登录。',
    'board.title': '库存平衡看板',
    'board.key': '大字：血站库存 · 医：医院 · 点：储血点 · 途：在途 · 天：可供天数',
    'board.component': '成分',
    'board.station': '血站',
    'board.hospitals': '医院',
    'board.storagePoints': '储血点',
    'board.inTransit': '在途',
    'board.days': '可供天数',
    'board.h': '医',
    'board.sp': '点',
    'board.t': '途',
    'board.dayUnit': '天',
    'board.noData': '无数据',
    'board.openDemand': '未完成需求',
    'board.unallocated': '未分配',
    'board.forecast': '预测需求',
    'board.avgDaily': '日均发出',
    'level.GREEN': '充足',
    'level.YELLOW': '偏紧',
    'level.ORANGE': '紧张',
    'level.RED': '严重短缺',
    'level.NONE': '无数据',
    'orders.title': '待处理订单',
    'orders.due': '时限',
    'orders.order': '订单 · 状态',
    'orders.lines': '品种',
    'orders.status': '状态',
    'orders.empty': '暂无待处理订单',
    'orders.dispatch': '发血',
    'orders.dispatchConfirm': '确认发血',
    'orders.confirmText': '确认向 {location} 发出订单 {id}（{lines}）？发出后血袋转为在途。',
    'orders.dispatched': '订单 {id} 已发出，出库单 {note}',
    'orders.dispatchFailed': '订单 {id} 发血失败：{detail}',
    'orders.overdue': '超时 {time}',
    'orders.breached': '已超时',
    'orders.allocated': '已配 {a}/{q}',
    'priority.EMERGENCY': '紧急抢救',
    'priority.URGENT': '加急',
    'priority.ROUTINE': '常规',
    'status.SUBMITTED': '已提交',
    'status.ALLOCATED': '已配血',
    'status.PARTIALLY_ALLOCATED': '部分配血',
    'status.BACKORDERED': '缺货待配',
    'status.DISPATCHED': '已发出',
    'status.RECEIVED': '已接收',
    'status.CANCELLED': '已取消',
    'alerts.title': '活动预警',
    'alerts.empty': '无活动预警',
    'alerts.supply': '{group} {component}：{level}（{days}）',
    'alerts.recruitment': '招募献血：需 {needed}（{by} 前），{since} 起已献血 {donations} 人次 / {units}',
    'alerts.scopeRegion': '全区',
    'alerts.excursion': '{point} {equipment} 温度超限 {temp}',
    'alerts.outOfRange': '{point} {equipment} 温度偏离 {temp}',
    'alerts.noData': '{point} {equipment} 无温度数据',
    'alerts.other': '{point} {equipment}：{kind}',
    'alerts.breach': '订单 {id}（{location}）超过服务时限',
    'alerts.since': '自 {time}',
    'alerts.recall': '召回 {din}：已确认 {acknowledged}/{total} 袋',
    'alerts.recallHolder': '{holder}：{n} 袋未确认',
    'alerts.recallBadge': '召回',
    'alerts.waiting': '{priority} 订单 {id}（{location}）{group} {component} 待配 {quantity}：库存无{unmet}血（该血型可用 {bags} 袋）',
    'alerts.waitingBadge': '特殊血待配',
    'req.irradiated': '辐照',
    'req.cmvNegative': 'CMV 阴性',
    'req.lowTitre': '低效价',
    'req.antigenNegative': '{antigen} 抗原阴性',
    'unit.lookup': '查询血袋',
    'unit.din': '献血码 DIN',
    'unit.component': '成分',
    'unit.division': '分装号',
    'unit.title': '血袋 {din} · {component}',
    'unit.status': '状态',
    'unit.location': '所在地点',
    'unit.equipment': '设备',
    'unit.order': '订单',
    'unit.group': '血型',
    'unit.quantity': '数量',
    'unit.volume': '容量',
    'unit.collectedAt': '采集时间',
    'unit.expiresAt': '失效时间',
    'unit.special': '特殊属性',
    'unit.irradiated': '辐照',
    'unit.cmvNegative': 'CMV 阴性',
    'unit.lowTitre': '低效价',
    'unit.antigenNegative': '抗原阴性',
    'unit.productCode': '产品编码',
    'unit.yes': '是',
    'unit.no': '否',
    'unit.none': '无',
    'unit.history': '流转记录',
    'unit.hType': '事件',
    'unit.hAt': '时间',
    'unit.hLocation': '地点',
    'unit.hActor': '操作人',
    'unit.hDetail': '说明',
    'unit.notFound': '未找到该血袋（或无权查看）',
    'unit.dinInvalid': 'DIN 格式或校验位错误',
    'unit.dinRequired': '请输入 DIN',
    'unitStatus.AVAILABLE': '可用',
    'unitStatus.RESERVED': '已预留',
    'unitStatus.IN_TRANSIT': '在途',
    'unitStatus.QUARANTINED': '隔离',
    'unitStatus.TRANSFUSED': '已输注',
    'unitStatus.DISCARDED': '已报废',
    'unitStatus.EXPIRED': '已过期',
    'move.RECEIVED': '入库',
    'move.RESERVED': '预留',
    'move.UNRESERVED': '取消预留',
    'move.DISPATCHED': '发出',
    'move.RECEIVED_AT_HOSPITAL': '医院接收',
    'move.REJECTED_AT_HOSPITAL': '医院拒收',
    'move.TRANSFERRED': '调拨',
    'move.TRANSFUSED': '输注',
    'move.DISCARDED': '报废',
    'move.QUARANTINED': '隔离',
    'move.RELEASED': '解除隔离',
    'move.EXPIRED': '过期',
    'move.RETURNED_TO_STOCK': '退回入库',
    'move.IRRADIATED': '辐照',
    'alerts.listSeparator': '、',
    'sp.title': '储血点与设备温度',
    'sp.empty': '没有储血点',
    'sp.host': '所在医院 {host}',
    'sp.noReading': '无读数',
    'sp.alerts': '{n} 条设备预警',
    'sp.stock': '库存 {bags} 袋',
    'par.title': '医院库存水平',
    'par.empty': '尚无医院设置库存水平',
    'par.keys': '{n} 个品种',
    'par.below': '{n} 项低于最低库存',
    'par.fine': '均不低于最低库存',
    'par.suggest': '建议补货 {n} 项',
    'equip.RBC_FRIDGE': '红细胞冷藏箱',
    'equip.PLT_AGITATOR': '血小板振荡保存箱',
    'equip.PLASMA_FREEZER': '血浆冷冻箱',
    'state.IN_RANGE': '正常',
    'state.OUT_OF_RANGE': '偏离',
    'state.EXCURSION': '超限',
    'state.NO_DATA': '无数据',
    'chart.title': '库存与可供天数',
    'chart.station': '血站',
    'chart.hospitals': '医院',
    'chart.storagePoints': '储血点',
    'detail.location': '地点',
    'detail.bags': '袋数',
    'detail.quantity': '数量',
    'detail.expiring': '72 小时内过期',
    'detail.days': '可供天数',
    'detail.level': '级别',
    'detail.region': '全区合计',
    'detail.available': '可用',
    'detail.expiringSoon': '72 小时内过期',
    'wastage.open': '报废分析',
    'wastage.title': '报废分析（近 12 个月）',
    'wastage.period': '{from} 至 {to}',
    'wastage.issued': '发出 {n} 袋',
    'wastage.wasted': '报废 {n} 袋',
    'wastage.rate': '全市报废率 {rate}',
    'wastage.target': '目标 ≤ {rate}',
    'wastage.targetLine': '目标 {rate}',
    'wastage.rateSeries': '报废率 %',
    'wastage.units': '袋',
    'wastage.region': '全市合计',
    'wastage.reason': '原因',
    'wastage.issuedCol': '发出',
    'wastage.wastedCol': '报废',
    'wastage.rateCol': '报废率',
    'reason.EXPIRED': '过期',
    'reason.BROKEN': '破损',
    'reason.TEMPERATURE': '温度异常',
    'reason.POSITIVE_TEST': '检测阳性',
    'reason.RETURN_NOT_REUSABLE': '退回不可再用',
    'reason.RECALLED': '召回',
    'reason.NOT_USED': '未使用',
    'reason.QUALITY': '质量问题',
    'reason.OTHER': '其他',
    'common.close': '关闭',
    'common.cancel': '取消',
    'common.forbidden': '无权限查看',
    'common.error': '加载失败：{detail}',
    'common.ago': '{t} 前',
    'common.loading': '加载中…',
    'uom.U': 'U',
    'uom.ML': 'ml',
    'uom.DOSE': '治疗量',
  },
  en: {
    'app.title': 'Regional blood dispatch',
    'stream.idle': 'offline',
    'stream.open': 'live',
    'stream.retry': 'reconnecting…',
    'stream.tooltip': 'live stock stream /api/v1/stock/stream',
    'auth.signedOut': 'Not signed in',
    'auth.login': 'Sign in',
    'auth.logout': 'Sign out',
    'auth.redirecting': 'Redirecting to sign-in…',
    'auth.failed': 'Sign-in failed: {detail}',
    'auth.expired': 'Your session has ended; please sign in again.',
    'board.title': 'Balance board',
    'board.key': 'Large: station stock · H: hospitals · SP: storage points · T: in transit · d: days of supply',
    'board.component': 'Component',
    'board.station': 'Station',
    'board.hospitals': 'Hospitals',
    'board.storagePoints': 'Storage points',
    'board.inTransit': 'In transit',
    'board.days': 'Days of supply',
    'board.h': 'H',
    'board.sp': 'SP',
    'board.t': 'T',
    'board.dayUnit': 'd',
    'board.noData': 'no data',
    'board.openDemand': 'Open demand',
    'board.unallocated': 'unallocated',
    'board.forecast': 'Forecast demand',
    'board.avgDaily': 'Avg daily issue',
    'level.GREEN': 'Green',
    'level.YELLOW': 'Yellow',
    'level.ORANGE': 'Orange',
    'level.RED': 'Red',
    'level.NONE': 'No data',
    'orders.title': 'Open orders',
    'orders.due': 'Due',
    'orders.order': 'Order · status',
    'orders.lines': 'Lines',
    'orders.status': 'Status',
    'orders.empty': 'No open orders',
    'orders.dispatch': 'Dispatch',
    'orders.dispatchConfirm': 'Dispatch',
    'orders.confirmText': 'Dispatch order {id} to {location} ({lines})? Its bags go in transit.',
    'orders.dispatched': 'Order {id} dispatched, issue note {note}',
    'orders.dispatchFailed': 'Dispatch of order {id} failed: {detail}',
    'orders.overdue': 'overdue {time}',
    'orders.breached': 'breached',
    'orders.allocated': 'allocated {a}/{q}',
    'priority.EMERGENCY': 'Emergency',
    'priority.URGENT': 'Urgent',
    'priority.ROUTINE': 'Routine',
    'status.SUBMITTED': 'Submitted',
    'status.ALLOCATED': 'Allocated',
    'status.PARTIALLY_ALLOCATED': 'Partly allocated',
    'status.BACKORDERED': 'Backordered',
    'status.DISPATCHED': 'Dispatched',
    'status.RECEIVED': 'Received',
    'status.CANCELLED': 'Cancelled',
    'alerts.title': 'Active alerts',
    'alerts.empty': 'No active alerts',
    'alerts.supply': '{group} {component}: {level} ({days})',
    'alerts.recruitment': 'appeal: {needed} needed by {by}, {donations} donations / {units} since {since}',
    'alerts.scopeRegion': 'Region',
    'alerts.excursion': '{point} {equipment} temperature excursion {temp}',
    'alerts.outOfRange': '{point} {equipment} out of range {temp}',
    'alerts.noData': '{point} {equipment} sends no data',
    'alerts.other': '{point} {equipment}: {kind}',
    'alerts.breach': 'Order {id} ({location}) past its service level',
    'alerts.since': 'since {time}',
    'alerts.recall': 'Recall {din}: {acknowledged} of {total} units acknowledged',
    'alerts.recallHolder': '{holder}: {n} not acknowledged',
    'alerts.recallBadge': 'Recall',
    'alerts.waiting': '{priority} order {id} ({location}) {group} {component}: {quantity} waiting, no bag in stock is {unmet} ({bags} bags of the group available)',
    'alerts.waitingBadge': 'Waiting',
    'req.irradiated': 'irradiated',
    'req.cmvNegative': 'CMV-negative',
    'req.lowTitre': 'low-titre',
    'req.antigenNegative': '{antigen}-negative',
    'unit.lookup': 'Look up unit',
    'unit.din': 'DIN',
    'unit.component': 'Component',
    'unit.division': 'Division',
    'unit.title': 'Unit {din} · {component}',
    'unit.status': 'Status',
    'unit.location': 'Location',
    'unit.equipment': 'Equipment',
    'unit.order': 'Order',
    'unit.group': 'Group',
    'unit.quantity': 'Quantity',
    'unit.volume': 'Volume',
    'unit.collectedAt': 'Collected',
    'unit.expiresAt': 'Expires',
    'unit.special': 'Special attributes',
    'unit.irradiated': 'Irradiated',
    'unit.cmvNegative': 'CMV-negative',
    'unit.lowTitre': 'Low-titre',
    'unit.antigenNegative': 'Antigen-negative',
    'unit.productCode': 'Product code',
    'unit.yes': 'yes',
    'unit.no': 'no',
    'unit.none': 'none',
    'unit.history': 'History',
    'unit.hType': 'Event',
    'unit.hAt': 'At',
    'unit.hLocation': 'Location',
    'unit.hActor': 'By',
    'unit.hDetail': 'Detail',
    'unit.notFound': 'No such unit (or not yours to see)',
    'unit.dinInvalid': 'The DIN is malformed or its check character is wrong',
    'unit.dinRequired': 'Enter a DIN',
    'unitStatus.AVAILABLE': 'available',
    'unitStatus.RESERVED': 'reserved',
    'unitStatus.IN_TRANSIT': 'in transit',
    'unitStatus.QUARANTINED': 'quarantined',
    'unitStatus.TRANSFUSED': 'transfused',
    'unitStatus.DISCARDED': 'discarded',
    'unitStatus.EXPIRED': 'expired',
    'move.RECEIVED': 'released into stock',
    'move.RESERVED': 'reserved',
    'move.UNRESERVED': 'reservation dropped',
    'move.DISPATCHED': 'dispatched',
    'move.RECEIVED_AT_HOSPITAL': 'received at hospital',
    'move.REJECTED_AT_HOSPITAL': 'rejected at hospital',
    'move.TRANSFERRED': 'transferred',
    'move.TRANSFUSED': 'transfused',
    'move.DISCARDED': 'discarded',
    'move.QUARANTINED': 'quarantined',
    'move.RELEASED': 'released from quarantine',
    'move.EXPIRED': 'expired',
    'move.RETURNED_TO_STOCK': 'returned to stock',
    'move.IRRADIATED': 'irradiated',
    'alerts.listSeparator': ', ',
    'sp.title': 'Storage points and temperatures',
    'sp.empty': 'No storage points',
    'sp.host': 'at {host}',
    'sp.noReading': 'no reading',
    'sp.alerts': '{n} equipment alert(s)',
    'sp.stock': '{bags} bags in stock',
    'par.title': "Hospitals' par levels",
    'par.empty': 'No hospital has par levels yet',
    'par.keys': '{n} keys',
    'par.below': '{n} below min',
    'par.fine': 'none below min',
    'par.suggest': '{n} to top up',
    'equip.RBC_FRIDGE': 'Red-cell fridge',
    'equip.PLT_AGITATOR': 'Platelet agitator',
    'equip.PLASMA_FREEZER': 'Plasma freezer',
    'state.IN_RANGE': 'in range',
    'state.OUT_OF_RANGE': 'out of range',
    'state.EXCURSION': 'excursion',
    'state.NO_DATA': 'no data',
    'chart.title': 'Stock and days of supply',
    'chart.station': 'Station',
    'chart.hospitals': 'Hospitals',
    'chart.storagePoints': 'Storage points',
    'detail.location': 'Location',
    'detail.bags': 'Bags',
    'detail.quantity': 'Quantity',
    'detail.expiring': 'Expiring in 72 h',
    'detail.days': 'Days of supply',
    'detail.level': 'Level',
    'detail.region': 'Region total',
    'detail.available': 'available',
    'detail.expiringSoon': 'expiring in 72 h',
    'wastage.open': 'Wastage',
    'wastage.title': 'Wastage (last 12 months)',
    'wastage.period': '{from} to {to}',
    'wastage.issued': '{n} units issued',
    'wastage.wasted': '{n} units wasted',
    'wastage.rate': 'region wastage rate {rate}',
    'wastage.target': 'target ≤ {rate}',
    'wastage.targetLine': 'target {rate}',
    'wastage.rateSeries': 'wastage rate %',
    'wastage.units': 'units',
    'wastage.region': 'Region',
    'wastage.reason': 'Reason',
    'wastage.issuedCol': 'Issued',
    'wastage.wastedCol': 'Wasted',
    'wastage.rateCol': 'Rate',
    'reason.EXPIRED': 'Expired',
    'reason.BROKEN': 'Broken',
    'reason.TEMPERATURE': 'Temperature',
    'reason.POSITIVE_TEST': 'Positive test',
    'reason.RETURN_NOT_REUSABLE': 'Return not reusable',
    'reason.RECALLED': 'Recalled',
    'reason.NOT_USED': 'Not used',
    'reason.QUALITY': 'Quality',
    'reason.OTHER': 'Other',
    'common.close': 'Close',
    'common.cancel': 'Cancel',
    'common.forbidden': 'Not permitted for this account',
    'common.error': 'Could not load: {detail}',
    'common.ago': '{t} ago',
    'common.loading': 'Loading…',
    'uom.U': 'U',
    'uom.ML': 'ml',
    'uom.DOSE': 'dose',
  },
};

let lang = (() => {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch (e) { /* storage disabled */ }
  return (navigator.language || 'zh').toLowerCase().startsWith('en') ? 'en' : 'zh';
})();

const listeners = [];
let catalogue = new Map();

export function getLang() {
  return lang;
}

/** The BCP 47 tag for dates and numbers. */
export function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}

export function setLang(next) {
  if (next !== 'zh' && next !== 'en') return;
  lang = next;
  try { localStorage.setItem(KEY, next); } catch (e) { /* ignore */ }
  document.documentElement.lang = locale();
  applyStatic(document);
  listeners.forEach(l => l(lang));
}

export function onLangChange(listener) {
  listeners.push(listener);
}

/** The text for key in the current language, with {name} placeholders filled from vars. */
export function t(key, vars) {
  const text = DICT[lang][key] ?? DICT.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m));
}

/** Every element with data-i18n gets its text (data-i18n-placeholder: its placeholder) in the current language. */
export function applyStatic(root) {
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach(el => { el.placeholder = t(el.dataset.i18nPlaceholder); });
}

export function setCatalogue(components) {
  catalogue = new Map(components.map(c => [c.code, c]));
}

export function components() {
  return [...catalogue.values()];
}

export function componentName(code) {
  const c = catalogue.get(code);
  if (!c) return code;
  return lang === 'zh' ? c.zh : c.en;
}

export function componentUom(code) {
  const c = catalogue.get(code);
  return c ? c.uom : '';
}

/**
 * A requirement as GET /alerts/waiting names it ("irradiated", "cmvNegative", "lowTitre", "antigenNegative K"), in
 * words; an unknown name is shown as it is.
 */
export function requirementName(name) {
  const [field, antigen] = String(name).split(' ');
  const key = `req.${field}`;
  if (!(key in DICT.en)) return String(name);
  return t(key, { antigen: antigen || '' });
}

/** A text of key only when the key exists (e.g. a status code), else the code itself. */
export function label(prefix, code) {
  const key = `${prefix}.${code}`;
  return key in DICT.en ? t(key) : String(code ?? '');
}

/** "O RhD−" style group label. */
export function groupLabel(abo, rhd) {
  return `${abo}${rhd === 'NEG' ? '−' : '+'}`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Intl.DateTimeFormat(locale(), { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** A calendar date ("2026-12-08", as the API writes one) as month and day. */
export function formatDay(isoDate) {
  if (!isoDate) return '';
  return new Intl.DateTimeFormat(locale(), { month: '2-digit', day: '2-digit' }).format(new Date(`${isoDate}T12:00:00`));
}

export function formatClock(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

/** "5 min", "2 h 10 min" for a duration in ms. */
export function formatAge(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return lang === 'zh' ? `${s} 秒` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return lang === 'zh' ? `${m} 分钟` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return lang === 'zh' ? `${h} 小时 ${m % 60} 分` : `${h} h ${m % 60} min`;
  return lang === 'zh' ? `${Math.floor(h / 24)} 天` : `${Math.floor(h / 24)} d`;
}

export function formatNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
