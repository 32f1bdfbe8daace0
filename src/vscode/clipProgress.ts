import type * as vscode from 'vscode';
import type { ClassifyProgress } from '../engine/classifyJob';

/**
 * A folder run's progress (done/total, clips/s, ETA) shown in a progress notification: the bar
 * advances by the share done since the last report. `unit` names what is counted ("files", "clips").
 */
export function reportClipProgress(
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  unit: string,
): (p: ClassifyProgress) => void {
  let last = 0;
  return (p) => {
    const eta = Number.isFinite(p.etaSec) ? `${Math.ceil(p.etaSec)} s` : '…';
    // A later phase (the review's near-copy check) says where it is; the bar stays full.
    if (p.phase) return progress.report({ message: `${p.phase}: ${p.done}/${p.total} pairs · ETA ${eta}` });
    const pct = p.total ? (100 * p.done) / p.total : 100;
    progress.report({
      increment: pct - last,
      message: `${p.done}/${p.total} ${unit} · ${p.clipsPerSec.toFixed(0)} clips/s · ETA ${eta}`,
    });
    last = pct;
  };
}
