// Server-sent events over fetch(): EventSource cannot send the Authorization header.
import * as auth from './auth.js';

/**
 * A parser of the text/event-stream format (WHATWG HTML, 9.2): feed it text as it arrives; it calls
 * onEvent({event, data, id}) for every complete event. Comment lines (": keep-alive") are ignored.
 */
export function createParser(onEvent) {
  let buffer = '';
  let event = '';
  let data = [];
  let lastId = '';
  let sawCR = false;

  function line(text) {
    if (text === '') {
      if (data.length > 0) {
        onEvent({ event: event || 'message', data: data.join('\n'), id: lastId });
      }
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    // retry: the reconnection delay is ours to choose (backoff)
  }

  return function feed(chunk) {
    let text = buffer + chunk;
    buffer = '';
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' && sawCR) { // the \n of a \r\n split over two chunks
        sawCR = false;
        start = i + 1;
        continue;
      }
      sawCR = false;
      if (c === '\r' || c === '\n') {
        line(text.slice(start, i));
        if (c === '\r') {
          if (text[i + 1] === '\n') i++;
          else if (i + 1 === text.length) sawCR = true;
        }
        start = i + 1;
      }
    }
    buffer = text.slice(start);
  };
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Reads the stream at path for as long as the page lives, reconnecting with exponential backoff (1 s doubling to
 * 30 s, with jitter). onState('open' | 'retry') reports the connection; a silent stream (no byte, not even the
 * server's 15 s keep-alive comment, for 45 s) is treated as broken.
 */
export function openStream(path, { onEvent, onState = () => {}, onOpen = () => {} }) {
  let stopped = false;
  let attempt = 0;
  let controller = null;

  async function connect() {
    while (!stopped) {
      let watchdog = null;
      try {
        controller = new AbortController();
        const token = await auth.token();
        if (!token) throw new Error('signed out');
        const res = await fetch(path, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          cache: 'no-store',
          signal: controller.signal,
        });
        if (res.status === 401) {
          await auth.refresh().catch(() => {});
          throw new Error('401');
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        attempt = 0;
        onState('open');
        onOpen();
        const feed = createParser(onEvent);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const arm = () => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => controller.abort(), 45000);
        };
        arm();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          arm();
          feed(decoder.decode(value, { stream: true }));
        }
        throw new Error('stream ended');
      } catch (e) {
        clearTimeout(watchdog);
        if (stopped) return;
        onState('retry');
        const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        attempt = Math.min(attempt + 1, 6);
        await sleep(delay);
      }
    }
  }

  connect();
  return {
    close() {
      stopped = true;
      if (controller) controller.abort();
    },
  };
}
