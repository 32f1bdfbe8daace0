import * as vscode from 'vscode';
import { classifyPaths, registerClassifyCommand } from './vscode/classifyCommand';
import { registerCompareCommand } from './vscode/compareCommand';
import { ComparePanels } from './vscode/comparePanel';
import { registerEvaluateCommand } from './vscode/evaluateCommand';
import { EvaluationPanels } from './vscode/evaluationPanel';
import { DatasetPanels } from './vscode/datasetPanel';
import { DatasetService } from './vscode/datasetService';
import { DatasetTreeProvider } from './vscode/datasetTree';
import { ModelService } from './vscode/modelService';
import { PoolService } from './vscode/poolService';
import { ReportPanels } from './vscode/reportPanel';
import { ResultCache } from './vscode/resultCache';
import { Relabeller } from './vscode/relabel';
import { registerReviewCommands } from './vscode/reviewCommands';
import { ReviewPanels } from './vscode/reviewPanel';
import { registerReviewResults, ReviewService } from './vscode/reviewService';
import { TestRecorder } from './vscode/testRecorder';
import { WavEditorProvider } from './vscode/wavEditor';

/** What the integration tests can reach through the extension's exports. */
export interface WavebenchApi {
  /**
   * The recorder of the webviews' messages, turned on by this call (it is already on when the
   * extension runs in ExtensionMode.Test); bounded, and off in normal use.
   */
  recorder: () => TestRecorder;
  dataset: DatasetService;
  /** Hands the dataset page's host a message as if the page had posted it (through its validator). */
  datasetPage: (raw: unknown) => void;
  models: ModelService;
  reviews: ReviewService;
  /** The open review pages (tests press keys in them). */
  reviewPanels: ReviewPanels;
  /** Moves clips after confirmation; tests replace its `confirm` (the modal). */
  relabeller: Relabeller;
  /** Where the review page's "Export decisions" writes: a save dialog; tests replace it. */
  saveTarget: () => Thenable<vscode.Uri | undefined>;
  /** The command's run without its notification: tests drive cancellation through the token. */
  classify: (
    paths: string[],
    token: vscode.CancellationToken,
    onProgress?: (message: string) => void,
  ) => ReturnType<typeof classifyPaths>;
}

/** Wires Wavebench's parts into VS Code. */
export function activate(context: vscode.ExtensionContext): WavebenchApi {
  const storage = context.globalStorageUri;
  const recorder = new TestRecorder();
  if (context.extensionMode === vscode.ExtensionMode.Test) recorder.enable();
  // One worker pool for the editor, folder runs and dataset scans (disposed last: registered first).
  const pools = new PoolService();
  context.subscriptions.push(pools);
  const models = new ModelService(context.extensionUri, pools);
  const dataset = new DatasetService(storage, pools);
  const cache = new ResultCache(storage);
  const reports = new ReportPanels(context.extensionUri, recorder);
  const comparisons = new ComparePanels(context.extensionUri, recorder);
  const evaluations = new EvaluationPanels(context.extensionUri, () => pools.pool, recorder);
  const reviews = new ReviewService(storage, models);
  const relabeller = new Relabeller();
  const reviewPanels = new ReviewPanels({
    extensionUri: context.extensionUri,
    models,
    reviews,
    relabeller,
    recorder,
    saveTarget: () => api.saveTarget(),
  });
  // The dataset page's map asks the review service directly, with a UMAP map, and queues clips on the review page.
  const datasetPanels = new DatasetPanels(context.extensionUri, dataset, recorder, {
    results: (folder) => reviews.results(folder, false, 'umap'),
    queue: async (folder, paths) => {
      // The map's own review (in memory): a lasso never starts a second review of the folder.
      const report = await reviews.results(folder, false, 'umap');
      if (report) reviewPanels.show(report, paths);
    },
  });
  context.subscriptions.push(
    models,
    dataset,
    reviews,
    relabeller,
    reviewPanels,
    registerReviewResults(reviews),
    registerReviewCommands(reviews, reviewPanels),
    reports,
    datasetPanels,
    WavEditorProvider.register(context, models, recorder),
    registerClassifyCommand(models, cache, reports),
    comparisons,
    registerCompareCommand(models, cache, comparisons),
    evaluations,
    registerEvaluateCommand(models, evaluations),
    vscode.window.registerTreeDataProvider('wavebench.datasetView', new DatasetTreeProvider(dataset)),
    vscode.commands.registerCommand('wavebench.inspectDataset', async (uri?: vscode.Uri) => {
      let root = uri?.scheme === 'file' ? uri.fsPath : undefined;
      if (!root) {
        const pick = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: 'Inspect',
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
        root = pick?.[0]?.fsPath;
      }
      if (!root) return undefined;
      const target = root;
      const view = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Wavebench: indexing dataset',
          cancellable: true,
        },
        (progress, token) => dataset.inspect(target, progress, token),
      );
      if (view) datasetPanels.show();
      return view;
    }),
    vscode.commands.registerCommand('wavebench.refreshDataset', async () => {
      if (dataset.root)
        await vscode.commands.executeCommand('wavebench.inspectDataset', vscode.Uri.file(dataset.root));
    }),
    vscode.commands.registerCommand('wavebench.clearDiagnostics', () => dataset.clearDiagnostics()),
  );
  const api: WavebenchApi = {
    recorder: () => {
      recorder.enable();
      return recorder;
    },
    dataset,
    datasetPage: (raw) => datasetPanels.fromPage(raw),
    models,
    reviews,
    reviewPanels,
    relabeller,
    saveTarget: () =>
      vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, saveLabel: 'Export decisions' }),
    classify: (paths, token, onProgress) =>
      classifyPaths(paths, models, cache, { report: (p) => p.message && onProgress?.(p.message) }, token),
  };
  return api;
}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}
