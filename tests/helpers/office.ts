/**
 * Opening the Office files specrun writes again, with other libraries than the ones that wrote them: the .docx with
 * fflate (unzip) and @xmldom/xmldom (its XML), the .xlsx with exceljs. Also the text projections their golden files
 * hold (the document XML one element per line, the workbook one cell per line), so a change reads as a diff.
 */
import { DOMParser, type Document as XmlDocument } from '@xmldom/xmldom';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { expectGolden } from './golden.js';
import { pdfProjection } from './pdf.js';

export function docxPart(bytes: Uint8Array, part = 'word/document.xml'): string {
  const entry = unzipSync(bytes)[part];
  if (!entry) throw new Error(`${part} missing from the .docx`);
  return strFromU8(entry);
}

export function docxDocument(bytes: Uint8Array): XmlDocument {
  return new DOMParser().parseFromString(docxPart(bytes), 'text/xml');
}

/** The document XML with one element per line. */
export function docxProjection(bytes: Uint8Array): string {
  return docxPart(bytes).replace(/></g, '>\n<') + '\n';
}

export async function openXlsx(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Every non-empty cell of every sheet: address, value, number format, borders, merge. */
export async function xlsxProjection(bytes: Uint8Array): Promise<string> {
  const wb = await openXlsx(bytes);
  const lines: string[] = [];
  wb.eachSheet((ws) => {
    lines.push(`[${ws.name}]`);
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: true }, (cell) => {
        const b = cell.border ?? {};
        const border = (['top', 'bottom'] as const)
          .filter((k) => b[k]?.style)
          .map((k) => `${k}:${b[k]!.style}`)
          .join(',');
        if (cell.value === null && !border) return;
        const value = typeof cell.value === 'number' ? `${cell.value}` : JSON.stringify(cell.value);
        lines.push(
          `${cell.address} ${cell.isMerged && cell.master.address !== cell.address ? `(merged into ${cell.master.address})` : value}${cell.numFmt ? ` fmt=${cell.numFmt}` : ''}${border ? ` ${border}` : ''}`,
        );
      });
    });
  });
  return lines.join('\n') + '\n';
}

/** Golden comparison of an output file of any format: text as is, .docx, .xlsx and .pdf as their text projections. */
export async function expectGoldenOutput(goldenPath: string, data: string | Uint8Array): Promise<void> {
  if (typeof data === 'string') return expectGolden(goldenPath, data);
  if (goldenPath.endsWith('.docx')) return expectGolden(`${goldenPath}.xml`, docxProjection(data));
  if (goldenPath.endsWith('.xlsx')) return expectGolden(`${goldenPath}.txt`, await xlsxProjection(data));
  if (goldenPath.endsWith('.pdf')) return expectGolden(`${goldenPath}.txt`, await pdfProjection(data));
  throw new Error(`no golden projection for ${goldenPath}`);
}
