/** `specrun diff` output: readable text for a terminal, Markdown for a pull-request comment, or JSON. */
import { hasChanges, type ModelChange, type SpecDiff, type TableChange } from './semantic-diff.js';

export type DiffFormat = 'text' | 'md' | 'json';

export function formatDiff(d: SpecDiff, format: DiffFormat, oldName: string, newName: string): string {
  if (format === 'json') return JSON.stringify(d, null, 2) + '\n';
  return format === 'md' ? markdown(d, oldName, newName) : plain(d, oldName, newName);
}

function modelLines(c: ModelChange): string[] {
  return [...c.checks.map((x) => x.detail), ...c.render.map((r) => `${r} (render only)`)];
}

function cellsText(t: TableChange): string[] {
  const out: string[] = [];
  for (const c of t.columns) {
    const what =
      t.status === 'added' ? 'new column' : c.cells === 'se' ? 'SEs and stars (estimates unchanged)' : 'every cell';
    out.push(
      `column ${c.index} ${c.header} [${c.model}]: ${what}${c.because.length ? ` — ${c.because.join(', ')}` : ''}`,
    );
  }
  for (const l of t.layout) out.push(l);
  if (t.rowsAdded.length) out.push(`rows added: ${t.rowsAdded.join(', ')}`);
  if (t.rowsRemoved.length) out.push(`rows removed: ${t.rowsRemoved.join(', ')}`);
  for (const r of t.render) out.push(`${r} (render only)`);
  return out;
}

function plain(d: SpecDiff, oldName: string, newName: string): string {
  const L: string[] = [`specrun diff ${oldName} → ${newName}`];
  if (!hasChanges(d)) {
    L.push('no semantic change: every model, variable, data setting and table is the same');
    for (const n of d.notes) L.push(`note: ${n}`);
    return L.join('\n') + '\n';
  }
  const m = d.models;
  L.push(
    `models: ${m.changed.length} changed, ${m.added.length} added, ${m.removed.length} removed, ${m.renderOnly.length} render only, ${m.unchanged.length} unchanged`,
  );
  for (const id of m.added) L.push(`  + ${id}`);
  for (const id of m.removed) L.push(`  - ${id}`);
  for (const c of m.changed) {
    L.push(`  ~ ${c.id}`);
    for (const x of modelLines(c)) L.push(`      ${x}`);
  }
  for (const c of m.renderOnly) {
    L.push(`  = ${c.id} (render only)`);
    for (const x of c.render) L.push(`      ${x}`);
  }
  if (d.data.length) {
    L.push('data:');
    for (const x of d.data) L.push(`  ${x}`);
  }
  if (d.variables.length) {
    L.push('derived variables:');
    for (const v of d.variables)
      L.push(
        `  ${v.name}: ${v.old ?? '(none)'} → ${v.new ?? '(none)'}; ${v.models.length ? `reaches ${v.models.join(', ')}` : 'read by no model'}`,
      );
  }
  if (d.samples.length) {
    L.push('samples:');
    for (const x of d.samples)
      L.push(
        `  ${x.name}: ${x.old ?? '(none)'} → ${x.new ?? '(none)'}; ${x.models.length ? `used by ${x.models.join(', ')}` : 'used by no model'}`,
      );
  }
  if (d.tables.length) {
    L.push('tables:');
    for (const t of d.tables) {
      L.push(
        `  ${t.status === 'added' ? '+' : t.status === 'removed' ? '-' : '~'} ${t.id}${t.status === 'changed' ? '' : ` (${t.status})`}`,
      );
      for (const x of cellsText(t)) L.push(`      ${x}`);
    }
  }
  for (const r of d.render) L.push(`spec ${r} (render only)`);
  for (const n of d.notes) L.push(`note: ${n}`);
  return L.join('\n') + '\n';
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

function markdown(d: SpecDiff, oldName: string, newName: string): string {
  const L: string[] = [`### specrun diff: ${code(oldName)} → ${code(newName)}`, ''];
  if (!hasChanges(d)) {
    L.push('No semantic change: every model, variable, data setting and table is the same.');
    for (const n of d.notes) L.push('', `> ${n}`);
    return L.join('\n') + '\n';
  }
  const m = d.models;
  L.push(
    `**Models:** ${m.changed.length} changed, ${m.added.length} added, ${m.removed.length} removed, ${m.renderOnly.length} render only, ${m.unchanged.length} unchanged`,
    '',
  );
  if (m.added.length + m.removed.length + m.changed.length + m.renderOnly.length > 0) {
    L.push('| model | change | checks |', '|---|---|---|');
    for (const id of m.added) L.push(`| ${code(id)} | added | |`);
    for (const id of m.removed) L.push(`| ${code(id)} | removed | |`);
    for (const c of m.changed)
      L.push(`| ${code(c.id)} | ${c.seOnly ? 'SEs only' : 're-estimated'} | ${modelLines(c).map(cell).join('<br>')} |`);
    for (const c of m.renderOnly) L.push(`| ${code(c.id)} | render only | ${c.render.map(cell).join('<br>')} |`);
    L.push('');
  }
  if (d.data.length) {
    L.push('**Data:**', '');
    for (const x of d.data) L.push(`- ${cell(x)}`);
    L.push('');
  }
  if (d.variables.length) {
    L.push('**Derived variables:**', '');
    for (const v of d.variables)
      L.push(
        `- ${code(v.name)}: ${v.old === null ? '(none)' : code(v.old)} → ${v.new === null ? '(none)' : code(v.new)}; ${v.models.length ? `reaches ${v.models.map(code).join(', ')}` : 'read by no model'}`,
      );
    L.push('');
  }
  if (d.samples.length) {
    L.push('**Samples:**', '');
    for (const x of d.samples)
      L.push(
        `- ${code(x.name)}: ${x.old === null ? '(none)' : code(x.old)} → ${x.new === null ? '(none)' : code(x.new)}; ${x.models.length ? `used by ${x.models.map(code).join(', ')}` : 'used by no model'}`,
      );
    L.push('');
  }
  if (d.tables.length) {
    L.push('**Tables:**', '');
    for (const t of d.tables) {
      L.push(`- ${code(t.id)}${t.status === 'changed' ? '' : ` (${t.status})`}`);
      for (const x of cellsText(t)) L.push(`  - ${cell(x)}`);
    }
    L.push('');
  }
  for (const r of d.render) L.push(`- spec ${cell(r)} (render only)`);
  for (const n of d.notes) L.push(`> ${n}`);
  return L.join('\n').replace(/\n+$/, '') + '\n';
}

/** Text inside a Markdown table cell or list item: pipes escaped. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}
