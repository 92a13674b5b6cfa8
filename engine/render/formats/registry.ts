/**
 * The output formats, by name: adding a format is one file in this folder and one line here. `--format` takes a
 * comma-separated list of these names and `--help` lists them with their descriptions.
 */
import { csvFormat } from './csv.js';
import { docxFormat } from './docx.js';
import { htmlFormat } from './html.js';
import { jsonFormat } from './json.js';
import { mdFormat } from './md.js';
import { texFormat } from './tex.js';
import type { OutputFormat } from './types.js';
import { xlsxFormat } from './xlsx.js';

export const formats = {
  tex: texFormat,
  md: mdFormat,
  json: jsonFormat,
  docx: docxFormat,
  html: htmlFormat,
  csv: csvFormat,
  xlsx: xlsxFormat,
} as const satisfies Record<string, OutputFormat>;

export type FormatName = keyof typeof formats;

/** __Default value__ of `--format`. */
export const DEFAULT_FORMATS: readonly FormatName[] = ['tex', 'md', 'json'];

export const formatNames = Object.keys(formats) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(formats, name);
}

/** The lines `--help` prints under `--format`: each format's name and description. */
export function formatHelp(): string[] {
  const width = Math.max(...formatNames.map((n) => n.length));
  return formatNames.map((n) => `${n.padEnd(width)}  ${formats[n].description}`);
}
