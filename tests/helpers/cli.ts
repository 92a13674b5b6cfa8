/** Run the CLI in-process with captured output. */
import { main } from '../../engine/cli/main.js';
import type { RunContext } from '../../engine/run/context.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], cwd: string, ctx?: RunContext): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    {
      stdout: {
        write: (s: string) => {
          stdout += s;
          return true;
        },
      },
      stderr: {
        write: (s: string) => {
          stderr += s;
          return true;
        },
      },
      cwd,
    },
    ctx,
  );
  return { code, stdout, stderr };
}
