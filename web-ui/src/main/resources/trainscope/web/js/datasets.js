// Your own data: the pure half of the data set menu and the CSV upload (no DOM, no network), so
// node tests cover it. The server is the source of truth for which data sets exist (GET
// /api/datasets); the two facts copied here from Java are checked against it by
// DashboardDatasetsTest (server module).

/** The largest upload the server stores (DatasetStore.MAX_BYTES); bigger files are not sent. */
export const MAX_UPLOAD_BYTES = 1048576;

/** A data set name as the server accepts one (Trainer.RUN_ID, DatasetStore.checkName). */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const MAX_NAME = 64;

/**
 * The name a file uploads under by default: its base name without the extension, every run of
 * characters the server refuses turned into one '-', at most 64 characters, and not one of
 * `taken` (the built-in names, which the server will not let an upload replace).
 */
export function datasetNameFor(fileName, taken = []) {
  let base = String(fileName ?? '').split(/[\\/]/).pop();
  base = base.replace(/\.[^.]*$/, '');
  let name = base
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_NAME)
    .replace(/[._-]+$/, '');
  if (!name) name = 'dataset';
  if (taken.includes(name)) name = name.slice(0, MAX_NAME - 7) + '-upload';
  return name;
}

/** Why a name cannot be uploaded under, or null when the server will take it. */
export function nameProblem(name, builtins = []) {
  if (!name) return 'Give the data set a name.';
  if (!DATASET_NAME.test(name)) {
    return `"${name}": a name of letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit) is needed.`;
  }
  if (builtins.includes(name)) return `"${name}" is a built-in data set: choose another name.`;
  return null;
}

/** Why a file is too big to upload, or null; sizes in bytes. */
export function sizeProblem(fileName, size) {
  if (size <= MAX_UPLOAD_BYTES) return null;
  return `${fileName} is ${mib(size)} MiB: at most 1 MiB (${MAX_UPLOAD_BYTES.toLocaleString('en')} bytes) can be uploaded.`;
}

function mib(bytes) {
  return (bytes / MAX_UPLOAD_BYTES).toFixed(bytes < 10 * MAX_UPLOAD_BYTES ? 2 : 1);
}

/** A menu entry's label from a GET /api/datasets row. */
export function datasetLabel(d) {
  const shape = `${d.features} feature${d.features === 1 ? '' : 's'}, ${d.classes} classes`;
  // Uploaded sets sit in their own group of the menu, so their label need not say so.
  return d.builtin ? `${d.name} (${shape})` : `${d.name} (${shape}, ${d.rows} rows)`;
}

/**
 * The menu from GET /api/datasets: its groups (built-in, then uploaded, each in the server's
 * order) and the value to select: `wanted` if it is listed, else the selected one if it still is,
 * else the first built-in.
 */
export function datasetMenu(list, wanted, selected) {
  const rows = Array.isArray(list) ? list.filter((d) => d && typeof d.name === 'string') : [];
  const builtin = rows.filter((d) => d.builtin);
  const uploaded = rows.filter((d) => !d.builtin);
  const names = rows.map((d) => d.name);
  const value = [wanted, selected].find((n) => n && names.includes(n)) ?? (builtin[0] || rows[0] || {}).name ?? '';
  return { builtin, uploaded, value };
}
