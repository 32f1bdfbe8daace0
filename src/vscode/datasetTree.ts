import * as vscode from 'vscode';
import type { DatasetService } from './datasetService';

/** An item of the "Wavebench Dataset" view: a label with its count, or a problem kind. */
class DatasetItem extends vscode.TreeItem {
  constructor(
    label: string,
    description: string,
    readonly kind: 'label' | 'problems' | 'problem' | 'root',
    readonly key = '',
    collapsible = vscode.TreeItemCollapsibleState.None,
  ) {
    super(label, collapsible);
    this.description = description;
    this.contextValue = `wavebench.${kind}`;
  }
}

/** Labels with clip counts and problems by kind, for the dataset last inspected. */
export class DatasetTreeProvider implements vscode.TreeDataProvider<DatasetItem> {
  private readonly emitter = new vscode.EventEmitter<DatasetItem | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly data: DatasetService) {
    data.onDidChange(() => this.emitter.fire(undefined));
  }

  getTreeItem(item: DatasetItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: DatasetItem): DatasetItem[] {
    const v = this.data.view;
    if (!v) return [];
    if (!parent) {
      const root = new DatasetItem(
        vscode.workspace.asRelativePath(v.root),
        `${v.totals.files} clips`,
        'root',
      );
      root.iconPath = new vscode.ThemeIcon('folder-library');
      root.tooltip = v.root;
      const labels = v.labels.map((l) => {
        const it = new DatasetItem(l.label, `${l.count}`, 'label', l.label);
        it.iconPath = new vscode.ThemeIcon('tag');
        return it;
      });
      const items = [root, ...labels];
      if (v.problems.length) {
        const p = new DatasetItem(
          'Problems',
          `${v.problems.length}`,
          'problems',
          '',
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        p.iconPath = new vscode.ThemeIcon('warning');
        items.push(p);
      }
      return items;
    }
    if (parent.kind === 'problems') {
      const counts = new Map<string, number>();
      for (const p of v.problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
      return [...counts].map(([k, n]) => {
        const it = new DatasetItem(k, `${n}`, 'problem', k);
        it.command = { command: 'workbench.actions.view.problems', title: 'Show problems' };
        return it;
      });
    }
    return [];
  }
}
