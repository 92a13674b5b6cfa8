/** `md`: one GitHub Markdown table per table (`ID.md`). */
import { join, resolve } from 'node:path';
import { renderMarkdown } from '../markdown.js';
import { loadTemplate } from '../templates.js';
import { forTable, type FormatFile, type FormatInput, type OutputFormat } from './types.js';

export const mdFormat: OutputFormat = {
  description: 'Markdown: ID.md per table (GitHub tables; group headers folded into the column headers)',
  render(input: FormatInput): FormatFile[] {
    return input.tables.map((t) => {
      const own = t.plan.spec.template?.markdown;
      const md = forTable(t, () =>
        renderMarkdown(t.model, own ? loadTemplate('markdown', resolve(t.plan.baseDir, own)) : undefined),
      );
      return { path: join(input.outDir, `${t.id}.md`), data: md };
    });
  },
};
