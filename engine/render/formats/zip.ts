/**
 * Byte-identical Office files: the writers (docx, exceljs) stamp the current time into docProps/core.xml and into
 * every zip entry. The package is opened again, the stamps fixed to one constant, and written back in the same
 * entry order, so that the same spec and data give the same bytes.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

/** The time written into every Office file (the zip format's epoch). */
export const FIXED_TIME = '1980-01-01T00:00:00Z';

export function stableZip(bytes: Uint8Array): Uint8Array {
  const entries = unzipSync(bytes);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    if (name === 'docProps/core.xml') {
      const xml = strFromU8(data).replace(
        /(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g,
        (_, open: string, _tag: string, close: string) => `${open}${FIXED_TIME}${close}`,
      );
      out[name] = [strToU8(xml), { mtime: FIXED_TIME }];
    } else out[name] = [data, { mtime: FIXED_TIME }];
  }
  return zipSync(out, { level: 6 });
}
