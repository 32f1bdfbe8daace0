/** Per-class precision, recall, F1 and support. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Metrics of a scored run. */
export interface RunMetrics {
  labels: string[];
  /** matrix[true][predicted] counts, over `labels` in order. */
  confusion: number[][];
  accuracy: number;
  scored: number;
  correct: number;
  perClass: ClassMetrics[];
  macroF1: number;
}

/**
 * Accuracy, confusion matrix and per-class precision/recall/F1 from (true, predicted) pairs.
 * Precision of a class never predicted is 0 (as scikit-learn's zero_division=0), F1 likewise.
 */
export function computeMetrics(labels: string[], pairs: { label: string; predicted: string }[]): RunMetrics {
  const index = new Map(labels.map((l, i) => [l, i]));
  const n = labels.length;
  const confusion = labels.map(() => new Array<number>(n).fill(0));
  let correct = 0;
  let scored = 0;
  for (const p of pairs) {
    const t = index.get(p.label);
    const q = index.get(p.predicted);
    if (t === undefined || q === undefined) continue;
    confusion[t][q]++;
    scored++;
    if (t === q) correct++;
  }
  const perClass = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  return {
    labels,
    confusion,
    accuracy: scored ? correct / scored : 0,
    scored,
    correct,
    perClass,
    macroF1: present.length ? present.reduce((a, c) => a + c.f1, 0) / present.length : 0,
  };
}
