/**
 * `path` shown relative to `root` when it lies under it (a separator must follow `root`: `/d/root2/a.wav`
 * is not under `/d/root`), else `path` unchanged. Plain string work, because the webviews have no
 * node:path; both `/` and `\` separate (the host may run on Windows).
 */
export function relativeTo(path: string, root: string): string {
  if (!root) return path;
  const base = /[\\/]$/.test(root) ? root.slice(0, -1) : root;
  if (!path.startsWith(base)) return path;
  const sep = path.charAt(base.length);
  return sep === '/' || sep === '\\' ? path.slice(base.length + 1) : path;
}
