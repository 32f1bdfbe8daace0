import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ModelService } from './modelService';
import type { TestRecorder } from './testRecorder';
import { WavDocument } from './wavDocument';
import { WavEditorSession } from './wavEditorSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The custom editor for .wav files: the host reads and computes (WavDocument over a plain-Node
 * WavDocumentModel), the webview draws; each open editor is one WavEditorSession.
 */
export class WavEditorProvider implements vscode.CustomReadonlyEditorProvider<WavDocument> {
  static readonly viewType = 'wavebench.wav';

  /** Registers the provider; returns its disposable. */
  static register(
    context: vscode.ExtensionContext,
    models: ModelService,
    recorder: TestRecorder,
  ): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(
      WavEditorProvider.viewType,
      new WavEditorProvider(context, models, recorder),
      {
        // Playback must go on while the tab is hidden, and decoding again on every switch is wasteful.
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true,
      },
    );
  }

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly models: ModelService,
    private readonly recorder: TestRecorder,
  ) {}

  openCustomDocument(uri: vscode.Uri): Promise<WavDocument> {
    return WavDocument.open(uri);
  }

  resolveCustomEditor(doc: WavDocument, panel: vscode.WebviewPanel): void {
    const ext = this.context.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.webview.html = webviewHtml(panel.webview, ext, 'editor', basename(doc.uri.fsPath));
    // The session disposes itself with its panel.
    new WavEditorSession(doc, panel, this.models, this.recorder);
  }
}
