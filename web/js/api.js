// The REST API, as the console calls it: JSON both ways, the session cookie sent by the browser, and the CSRF
// token in a header on every request that changes something.
let csrf = '';
let onExpired = () => {};

export function setCsrf(token) {
  csrf = token ?? '';
}

/** Called when a request answers 401 (the session ended): the app shows the login page. */
export function onSessionExpired(fn) {
  onExpired = fn;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.issues = body?.issues;
    this.body = body;
  }
}

export async function api(method, url, body, { quiet401 = false, raw = false } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { message: text };
  }
  if (!res.ok) {
    if (res.status === 401 && !quiet401) onExpired();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (url, o) => api('GET', url, undefined, o);
export const post = (url, body = {}) => api('POST', url, body);
export const putJson = (url, body) => api('PUT', url, body);
/** Sends a file as it is (an archive to audit). */
export const upload = (url, file) => api('POST', url, file, { raw: true });

/** `url` with the query parameters of `params` that have a value. */
export function withQuery(url, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${url}?${s}` : url;
}
