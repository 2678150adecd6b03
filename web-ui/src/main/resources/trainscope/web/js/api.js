// The REST API, with the optional access token from the page URL (?token=...).

let cachedToken;

/** The access token given in the page URL as ?token=, or null. */
export function token() {
  if (cachedToken === undefined) {
    cachedToken = new URLSearchParams(window.location.search).get('token') || null;
  }
  return cachedToken;
}

/** An error the API answered, with the offending config field when it named one. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

/** The Authorization header for fetch, when the page has a token. */
export function authHeaders() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(res);
}

/** POSTs a file (a Blob) as it is, e.g. a CSV as text/csv; answers like {@link api}. */
export async function postFile(path, blob, contentType) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': contentType, ...authHeaders() },
    body: blob,
  });
  return answer(res);
}

async function answer(res) {
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!res.ok) {
    const message = (json && (json.error || json.message)) || text || res.status + ' ' + res.statusText;
    throw new ApiError(res.status, message, json && json.field);
  }
  return json;
}

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(path, filename) {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, 'download failed: ' + res.status);
  saveBlob(await res.blob(), filename);
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
