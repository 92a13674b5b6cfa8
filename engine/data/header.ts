/**
 * The data's column names from the header alone (not the whole file), after `rename`: what the semantic checks
 * (engine/validate/semantic.ts) compare every name of a spec with, before any data is read in full.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import type { FileReader } from '../load/file-reader.js';
import type { Plan } from '../normalize/plan.js';
import { resolveSource } from './builtin.js';
import { readCsv } from './read/csv.js';
import { formatOf, readTable } from './read/index.js';
import { renamedName } from './rename.js';
import { isYearbookSource } from './read-source.js';
import { notARegularFile, readFileLimited } from '../core/read-limited.js';

/** The column names of the data source after `rename`, or null when they cannot be read (the run reports why). */
export async function dataColumnNames(plan: Plan, reader: FileReader | null = null): Promise<string[] | null> {
  return dataHeaderNames(plan.data, reader);
}

/**
 * The same for a data block alone (the language server reads it from a spec that does not check yet). From disk
 * (`reader` null or reading the disk), a CSV's header line only; through another reader (a git revision), the file.
 */
export async function dataHeaderNames(d: Plan['data'], reader: FileReader | null = null): Promise<string[] | null> {
  // A declared source (several files, sheets, header patterns, joins, a filter): its columns are known only after
  // reading it all, which the check does (engine/validate/semantic.ts `dataColumns`).
  if (typeof d.source !== 'string' || d.join.length || d.where !== undefined || isYearbookSource(d)) return null;
  const resolved = resolveSource(d.source, d.baseDir);
  if (!resolved) return null;
  const file = resolved.file;
  let names: string[];
  try {
    const ext = extname(file).toLowerCase();
    const bytes = reader && !reader.onDisk ? reader.readBytes(file) : null;
    if (reader && !reader.onDisk && !bytes) return null;
    if (ext === '.csv' || ext === '.txt' || ext === '.tsv') {
      names = readCsv(bytes ?? headerBytes(file), { file: d.source, encoding: d.encoding, na: d.na }).frame.names;
    } else if (ext === '.parquet') {
      const { parquetColumnNames, parquetFileColumnNames } = await import('./read/parquet.js');
      if (bytes) names = await parquetColumnNames(bytes, d.source);
      else {
        // The footer alone (a large file is never read whole here); a FIFO or a device would block the open.
        if (notARegularFile(file)) return null;
        names = await parquetFileColumnNames(file, d.source);
      }
    } else if (formatOf(file).format === 'arrow') {
      const { arrowColumnNames } = await import('./read/arrow.js');
      names = await arrowColumnNames(bytes ?? readFileLimited(file, 'data'), d.source);
    } else
      names = (
        await readTable(file, {
          file: d.source,
          encoding: d.encoding,
          na: d.na,
          sheet: d.sheet,
          ...(bytes ? { bytes } : {}),
        })
      ).frame.names;
  } catch {
    return null;
  }
  return names.map((n) => renamedName(n, d.rename));
}

/** The first line of a file (the header), read without loading the rest. */
function headerBytes(file: string): Uint8Array {
  // A FIFO or a device would block or never end: the run reports it (engine/core/read-limited.ts).
  const odd = notARegularFile(file);
  if (odd) throw new Error(odd);
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(65536);
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(buf.subarray(0, nl + 1));
        break;
      }
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
