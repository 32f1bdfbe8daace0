import { basename } from 'node:path';
import * as vscode from 'vscode';
import { seekSeconds } from '../protocol/editor';
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

  /** The open editors, for `wavebench.openAt` to find the one to seek. */
  private readonly sessions = new Set<WavEditorSession>();
  /** A seek for an editor VS Code has not made yet when openWith returned (taken by the next one made). */
  private readonly pendingSeeks = new Map<string, number>();

  /** Registers the provider and `wavebench.openAt`; returns their disposable. */
  static register(
    context: vscode.ExtensionContext,
    models: ModelService,
    recorder: TestRecorder,
  ): vscode.Disposable {
    const provider = new WavEditorProvider(context, models, recorder);
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(WavEditorProvider.viewType, provider, {
        // Playback must go on while the tab is hidden, and decoding again on every switch is wasteful.
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true,
      }),
      vscode.commands.registerCommand('wavebench.openAt', (uri: unknown, seconds: unknown) =>
        provider.openAt(uri, seconds),
      ),
    );
  }

  /**
   * `wavebench.openAt(uri, seconds)`: opens the file in the Wavebench editor (or brings its open
   * editor forward) and shows that time, view centred and cursor placed, without playing.
   */
  async openAt(uri: unknown, seconds: unknown): Promise<void> {
    const timeSec = seekSeconds(seconds);
    if (!(uri instanceof vscode.Uri) || timeSec === undefined)
      throw new Error('wavebench.openAt takes a file URI and a time in seconds (a number >= 0)');
    await vscode.commands.executeCommand('vscode.openWith', uri, WavEditorProvider.viewType);
    const key = uri.toString();
    const mine = [...this.sessions].filter((s) => s.doc.uri.toString() === key);
    // The editor VS Code just showed is the active one; a new one is the last made.
    const target = mine.find((s) => s.panel.active) ?? mine[mine.length - 1];
    if (target) target.seek(timeSec);
    else this.pendingSeeks.set(key, timeSec);
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
    const session = new WavEditorSession(doc, panel, this.models, this.recorder);
    this.sessions.add(session);
    const seek = this.pendingSeeks.get(doc.uri.toString());
    this.pendingSeeks.delete(doc.uri.toString());
    if (seek !== undefined) session.seek(seek);
    panel.onDidDispose(() => this.sessions.delete(session));
  }
}
