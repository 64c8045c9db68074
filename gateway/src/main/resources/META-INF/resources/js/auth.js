// OIDC authorization code + PKCE (S256) against the realm named by GET /config.json.
// Tokens stay in memory; sessionStorage holds only the PKCE verifier, state and nonce across the redirect.

const PENDING = 'hemolink.oidc.pending';

let config = null;      // {issuer, clientId}
let endpoints = null;   // {authorization, token, endSession}
let tokens = null;      // {access, refresh, id, expiresAt, refreshExpiresAt}
let refreshTimer = null;
let refreshing = null;
const listeners = [];

export class AuthError extends Error {
  constructor(message, recoverable) {
    super(message);
    this.recoverable = recoverable;
  }
}

export function onChange(listener) {
  listeners.push(listener);
}

function emit() {
  listeners.forEach(l => l(user()));
}

function redirectUri() {
  return `${location.origin}/`;
}

function base64url(bytes) {
  let s = '';
  bytes.forEach(b => { s += String.fromCharCode(b); });
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount = 32) {
  const bytes = new Uint8Array(byteCount);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT (not verified here: the gateway and the services verify every token). */
export function claimsOf(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = part + '='.repeat((4 - (part.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), c => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return {};
  }
}

async function discover(issuer) {
  const fallback = {
    authorization: `${issuer}/protocol/openid-connect/auth`,
    token: `${issuer}/protocol/openid-connect/token`,
    endSession: `${issuer}/protocol/openid-connect/logout`,
  };
  try {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, { cache: 'no-store' });
    if (!res.ok) return fallback;
    const doc = await res.json();
    return {
      authorization: doc.authorization_endpoint || fallback.authorization,
      token: doc.token_endpoint || fallback.token,
      endSession: doc.end_session_endpoint || fallback.endSession,
    };
  } catch (e) {
    return fallback; // the standard Keycloak paths
  }
}

/**
 * Starts the session: finishes a login coming back with ?code=, or returns false when the user has to log in
 * (call login()). Throws AuthError when the identity provider refused.
 */
export async function init() {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new AuthError(`config.json: HTTP ${res.status}`, false);
  config = await res.json();
  endpoints = await discover(config.issuer.replace(/\/$/, ''));

  const params = new URLSearchParams(location.search);
  if (params.has('error')) {
    clearCallbackParams();
    throw new AuthError(params.get('error_description') || params.get('error'), true);
  }
  if (!params.has('code')) return false;

  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  clearCallbackParams();
  if (!pending || pending.state !== params.get('state')) {
    throw new AuthError('state mismatch', true);
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: pending.redirectUri,
    client_id: config.clientId,
    code_verifier: pending.verifier,
  });
  const answer = await tokenCall(body);
  const idClaims = answer.id_token ? claimsOf(answer.id_token) : {};
  if (answer.id_token && idClaims.nonce !== pending.nonce) {
    throw new AuthError('nonce mismatch', true);
  }
  accept(answer);
  if (pending.returnTo && pending.returnTo !== '/') {
    history.replaceState(null, '', pending.returnTo);
  }
  return true;
}

function clearCallbackParams() {
  const url = new URL(location.href);
  ['code', 'state', 'session_state', 'iss', 'error', 'error_description'].forEach(p => url.searchParams.delete(p));
  history.replaceState(null, '', url.pathname + url.search + url.hash);
}

/** Sends the browser to the identity provider's login page. */
export async function login(uiLocale) {
  const verifier = randomString(48);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({
    verifier, state, nonce, redirectUri: redirectUri(), returnTo: location.pathname + location.hash,
  }));
  const url = new URL(endpoints.authorization);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    ...(uiLocale ? { ui_locales: uiLocale } : {}),
  }).toString();
  location.assign(url.toString());
}

/** Ends the session at the identity provider, which sends the browser back here. */
export function logout() {
  const idToken = tokens?.id;
  tokens = null;
  clearTimeout(refreshTimer);
  emit();
  const url = new URL(endpoints.endSession);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  location.assign(url.toString());
}

async function tokenCall(body) {
  let res;
  try {
    res = await fetch(endpoints.token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      cache: 'no-store',
    });
  } catch (e) {
    throw new AuthError(`token endpoint unreachable: ${e.message}`, true);
  }
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new AuthError(answer.error_description || answer.error || `HTTP ${res.status}`, true);
    err.status = res.status;
    throw err;
  }
  return answer;
}

function accept(answer) {
  const now = Date.now();
  tokens = {
    access: answer.access_token,
    refresh: answer.refresh_token || tokens?.refresh,
    id: answer.id_token || tokens?.id,
    expiresAt: now + (answer.expires_in || 60) * 1000,
    refreshExpiresAt: answer.refresh_expires_in ? now + answer.refresh_expires_in * 1000 : null,
  };
  scheduleRefresh();
  emit();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!tokens?.refresh) return;
  const lifetime = tokens.expiresAt - Date.now();
  // well before expiry: at 70 % of the lifetime, at the latest 30 s before it
  const delay = Math.max(1000, Math.min(lifetime * 0.7, lifetime - 30000));
  refreshTimer = setTimeout(() => refresh().catch(() => { /* reported through onChange */ }), delay);
}

/** Refreshes the access token with the refresh token (one refresh at a time). */
export function refresh() {
  if (refreshing) return refreshing;
  if (!tokens?.refresh) return Promise.reject(new AuthError('no refresh token', true));
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh, client_id: config.clientId });
  refreshing = tokenCall(body)
    .then(answer => { accept(answer); return tokens.access; })
    .catch(e => {
      if (e.status === 400 || e.status === 401) {
        tokens = null; // the session ended at the identity provider
        emit();
      } else if (tokens) {
        refreshTimer = setTimeout(() => refresh().catch(() => {}), 10000); // unreachable: try again
      }
      throw e;
    })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export async function token() {
  if (!tokens) return null;
  if (tokens.expiresAt - Date.now() < 15000 && tokens.refresh) {
    try {
      await refresh();
    } catch (e) {
      if (!tokens) return null;
    }
  }
  return tokens?.access ?? null;
}

/** The signed-in user from the access token's claims, or null. */
export function user() {
  if (!tokens) return null;
  const c = claimsOf(tokens.access);
  const roles = (c.realm_access && c.realm_access.roles) || c.groups || [];
  return {
    name: c.preferred_username || c.name || c.sub,
    displayName: c.name || c.preferred_username,
    locationId: c.location_id,
    roles,
  };
}

export function issuer() {
  return config?.issuer;
}
