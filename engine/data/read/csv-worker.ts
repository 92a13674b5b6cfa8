/**
 * The second thread of readCsvFileParallel (csv.ts): reads the records of its part of the file with the header the
 * first thread read; once the first thread has read its own part and sent its columns, writes its rows after them
 * (or sends its own columns when they have no room). Anything that goes wrong is `{ ok: false }`: the first thread
 * then reads the whole file on its own, so an error is reported as a single read reports it.
 */
import { parentPort } from 'node:worker_threads';
import { type CsvPartJob, type CsvPartReply, type CsvPlace, placeCsvPart, readCsvPart } from './csv.js';

const port = parentPort!;
const fail: CsvPartReply = { ok: false };

port.once('message', (job: CsvPartJob) => {
  let part: ReturnType<typeof readCsvPart>;
  try {
    part = readCsvPart(job);
  } catch {
    port.postMessage(fail);
    return;
  }
  port.once('message', (place: CsvPlace) => {
    if (!place) return;
    try {
      const { reply, transfer } = placeCsvPart(part, place);
      port.postMessage(reply, transfer);
    } catch {
      port.postMessage(fail);
    }
  });
});
