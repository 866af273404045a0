// The HTTP API of docs/protocol.md §1: runs, presets, export and import, share links.

/** An HTTP error with the server's sentence (`{"error":{code,kind,message,field}}`). */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super(body?.error?.message || fallback || `The server answered ${status}.`);
    this.status = status;
    this.kind = body?.error?.kind || null;
    this.field = body?.error?.field || null;
    /** The whole answer (e.g. a share link's `fallback`). */
    this.body = body;
  }
}

async function request(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(path, {
      method, headers: body !== undefined && !(body instanceof Blob) ? { 'Content-Type': 'application/json', ...headers } : headers,
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null, 'Could not reach the server. Check the network and try again.');
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const fallback = response.status === 404 ? 'The server does not offer this yet (404).' : undefined;
    throw new ApiError(response.status, json, fallback);
  }
  return json;
}

/** POST /api/runs: a new run; resolves { code, token, url, run }. */
export const createRun = (body = {}) => request('POST', '/api/runs', body);
/** GET /api/runs/{code}: the run's summary. */
export const runSummary = (code) => request('GET', `/api/runs/${encodeURIComponent(code)}`);
/** DELETE /api/runs/{code} with the run's token (204); `keepalive` so it finishes while the page navigates away. */
export async function deleteRun(code, token) {
  const response = await fetch(`/api/runs/${encodeURIComponent(code)}`, {
    method: 'DELETE', headers: { Authorization: `Bearer ${token}` }, keepalive: true, cache: 'no-store',
  });
  if (!response.ok && response.status !== 404) throw new ApiError(response.status, null);
}
/** GET /api/presets. */
export const presets = () => request('GET', '/api/presets');
/** POST /api/runs/import with a saved-run file. */
export const importRun = (file) => request('POST', '/api/runs/import', file);
/** GET /api/runs/{code}/share: `{blob, url, characters, epoch}`; 413/409 carry `fallback.url` (a saved copy). */
export const shareLink = (code) => request('GET', `/api/runs/${encodeURIComponent(code)}/share`);

/** Download URLs of §1. */
export const exportURL = (code) => `/api/runs/${encodeURIComponent(code)}/export`;
export const metricsCSVURL = (code) => `/api/runs/${encodeURIComponent(code)}/metrics.csv`;
export const samplesCSVURL = (code) => `/api/runs/${encodeURIComponent(code)}/samples.csv`;
