/** `json`: results.json, every model's results with the run's provenance (the ⚑ shape of DESIGN.md). */
import { join } from 'node:path';
import type { FormatFile, FormatInput, OutputFormat } from './types.js';

export const jsonFormat: OutputFormat = {
  description: "results.json: every model's coefficients, statistics and provenance",
  render(input: FormatInput): FormatFile[] {
    return [{ path: join(input.outDir, 'results.json'), data: input.resultsJson() }];
  },
};
