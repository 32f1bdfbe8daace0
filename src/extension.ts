import type * as vscode from 'vscode';

/** Wires Wavebench's parts into VS Code. */
export function activate(_context: vscode.ExtensionContext): void {}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}
