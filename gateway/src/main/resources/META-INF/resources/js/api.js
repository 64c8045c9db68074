// Calls to /api/v1 with the bearer token; a 401 refreshes the token once and tries again.
import * as auth from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.code = problem && problem.code;
  }
}

let onUnauthorized = () => {};

/** Called when a call is refused with 401 even after a token refresh (the session has ended). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  for (let attempt = 0; ; attempt++) {
    const token = await auth.token();
    if (!token) {
      onUnauthorized();
      throw new ApiError(401, { title: 'Unauthorized', code: 'UNAUTHORIZED' });
    }
    const res = await fetch(`/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
    if (res.status === 401 && attempt === 0) {
      try {
        await auth.refresh();
        continue;
      } catch (e) {
        onUnauthorized();
      }
    }
    if (!res.ok) {
      const problem = await res.json().catch(() => null);
      throw new ApiError(res.status, problem);
    }
    if (res.status === 204) return null;
    return res.json();
  }
}

/** A random Idempotency-Key for a creating POST. */
export function idempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}
