import type * as vscode from 'vscode';

/** Wires Wavebench's parts into VS Code. */
export function activate(_context: vscode.ExtensionContext): void {
  // Used only by the test runner's own test, to prove a broken activation fails the suite.
  if (process.env.WAVEBENCH_TEST_BREAK_ACTIVATION === '1') {
    throw new Error('activation broken on purpose (WAVEBENCH_TEST_BREAK_ACTIVATION=1)');
  }
}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}
