import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Which webview bundle a panel loads (dist/webview/<name>.js). */
export type WebviewName = 'editor' | 'report' | 'dataset' | 'evaluation' | 'review' | 'compare';

/**
 * Webview options: scripts on, resources only from what a page loads: the webview bundles
 * (dist/webview/, not the host's or workers' bundles beside them) and the stylesheets in media/.
 */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/**
 * The HTML shell of every Wavebench webview: a strict CSP (default-src 'none', the one script by
 * nonce, styles only from media/, no inline script or style), the shared stylesheet, `#app`.
 */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  name: WebviewName,
  title: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.js`));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const viewCss = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${name}.css`));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    'media-src blob:',
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
${name === 'editor' || name === 'review' ? `<link rel="stylesheet" href="${viewCss}">` : ''}
<title>${esc(title)}</title>
</head>
<body data-view="${name}">
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
