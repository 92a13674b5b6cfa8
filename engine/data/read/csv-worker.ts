/**
 * The second thread of readCsvFileParallel (csv.ts): reads the records of its part of the file with the header the
 * first thread read, and sends the columns back (their buffers transferred), or `{ ok: false }` when anything went
 * wrong (the first thread then reads the whole file on its own, so an error is reported as a single read reports it).
 */
import { parentPort } from 'node:worker_threads';
import { type CsvPartJob, type CsvPartReply, readCsvPart } from './csv.js';

parentPort!.once('message', (job: CsvPartJob) => {
  let out: { reply: CsvPartReply; transfer: ArrayBuffer[] };
  try {
    out = readCsvPart(job);
  } catch {
    out = { reply: { ok: false }, transfer: [] };
  }
  parentPort!.postMessage(out.reply, out.transfer);
});
