/**
 * The command-line vocabulary: every command with its flags, a one-line summary, a usage line and examples. The
 * global help, each command's `--help`, "did you mean" for commands and flags, and the shell completion scripts are
 * all generated from this one table, so a new flag is declared once.
 */
import { suggest } from '../core/suggest.js';
import { DEFAULT_FORMATS, formatHelp, formatNames } from '../render/formats/registry.js';

export interface FlagDef {
  /** Without the leading `--`. */
  readonly name: string;
  /** The value's placeholder (`DIR`); absent for a boolean flag. */
  readonly value?: string;
  readonly help: string;
  /** Lines printed under the flag in `--help` (the formats of `--format`). */
  readonly details?: readonly string[];
}

export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[];
  readonly flags: readonly FlagDef[];
  readonly examples: readonly string[];
  /** What the positional arguments complete to in a shell. */
  readonly complete: 'spec' | 'data' | 'shell' | 'none';
}

const DEBUG: FlagDef = { name: 'debug', help: 'print stack traces of internal errors' };
const HELP_FLAG: FlagDef = { name: 'help', help: 'this help' };

export const COMMANDS: readonly CommandDef[] = [
  {
    name: 'run',
    summary: 'run the specs and write the tables, results.json and a combined LaTeX document',
    usage: [
      `specrun run SPEC|DIR... [--out DIR] [--format ${formatNames.join(',')}] [--lang zh|en] [--no-cache] [--cache-dir DIR] [--quiet] [--watch] [--keep-going] [--threads N]`,
      'specrun run SPEC|DIR... --shard K/N [--cache-dir DIR] [--threads N]',
    ],
    flags: [
      { name: 'out', value: 'DIR', help: 'output folder (default out/); nothing is written outside it' },
      {
        name: 'format',
        value: 'LIST',
        help: `formats to write, comma-separated (default ${DEFAULT_FORMATS.join(',')}):`,
        details: formatHelp(),
      },
      {
        name: 'lang',
        value: 'LANG',
        help: "language of labels where the spec gives several (overrides the spec's lang)",
      },
      { name: 'no-cache', help: 'estimate every model again (results are cached in .specrun-cache/)' },
      {
        name: 'cache-dir',
        value: 'DIR',
        help: 'the result cache folder (default .specrun-cache/ in the working directory)',
      },
      {
        name: 'shard',
        value: 'K/N',
        help: 'run only shard K of N of the models into the cache and write no tables; a later run without --shard on the merged caches writes them',
      },
      { name: 'quiet', help: 'print only problems' },
      {
        name: 'keep-going',
        help: 'when models fail, still write the tables whose models all succeeded (exit 1, the others listed)',
      },
      {
        name: 'watch',
        help: 'keep running: re-run on every save of a spec or data file, printing the cells that changed',
      },
      {
        name: 'threads',
        value: 'N',
        help: 'threads for the models and bootstrap replications (default: every core, or SPECRUN_THREADS; 1 = no workers); results are the same bits for any N',
      },
      DEBUG,
      HELP_FLAG,
    ],
    examples: [
      'specrun run specs/examples/grunfeld.yaml',
      'specrun run specs/paper --out out/paper --format tex,md',
      'specrun run specs/paper --watch',
      'specrun run specs/paper/robustness --shard 2/4 --cache-dir cache-2',
      'specrun run specs/examples/grid.yaml --threads 1',
    ],
    complete: 'spec',
  },
  {
    name: 'validate',
    summary: 'check specs without running them; every problem as file:line:col CODE message',
    usage: ['specrun validate SPEC|DIR... [--no-cache]'],
    flags: [
      { name: 'no-cache', help: 'check the data afresh (their checks are kept in .specrun-cache/, as results are)' },
      DEBUG,
      HELP_FLAG,
    ],
    examples: ['specrun validate specs/paper', 'specrun validate my-table.yaml'],
    complete: 'spec',
  },
  {
    name: 'data',
    summary: 'write the dataset after derived variables, with one 0/1 column per sample',
    usage: [
      'specrun data SPEC --out FILE.csv',
      'specrun data SPEC --out FILE.parquet',
      'specrun data SPEC --out FILE.arrow',
    ],
    flags: [
      {
        name: 'out',
        value: 'FILE',
        help: 'the file to write: .csv, .parquet for Parquet, .arrow or .feather for Arrow IPC (Feather V2)',
      },
      DEBUG,
      HELP_FLAG,
    ],
    examples: ['specrun data specs/paper/base.yaml --out derived.csv'],
    complete: 'spec',
  },
  {
    name: 'diff',
    summary: 'the semantic difference between two specs, or a spec and its version at a git revision',
    usage: [
      'specrun diff OLD NEW [--format text|md|json] [--results]',
      'specrun diff --rev REV SPEC|DIR [--format text|md|html|json] [--results] [--exit-code] [--fail-on LIST]',
      'specrun diff --git-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE',
    ],
    flags: [
      {
        name: 'rev',
        value: 'REV',
        help: 'compare SPEC with the same file (and its extends chain) at git revision REV',
      },
      { name: 'format', value: 'FORMAT', help: 'text (default), md (a pull-request comment), html (a page) or json' },
      {
        name: 'results',
        help: 'also run both sides (from the cache where possible): each table before and after, changed cells marked',
      },
      { name: 'cells', help: 'with --results: also list every changed model cell, statistics no table shows included' },
      { name: 'no-cache', help: 'with --results: estimate every model again' },
      { name: 'cache-dir', value: 'DIR', help: 'with --results: the result cache folder (default .specrun-cache/)' },
      { name: 'exit-code', help: 'exit 1 when the specs differ (as git diff --exit-code); 0 otherwise' },
      {
        name: 'fail-on',
        value: 'LIST',
        help: 'exit 1 on these changes: any, tables, stars, estimates, se, nobs — each optionally @TABLE (stars@table1)',
      },
      { name: 'git-driver', help: "act as git's external diff driver (diff.specrun.command; see the README)" },
      DEBUG,
      HELP_FLAG,
    ],
    examples: [
      'specrun diff specs/paper/table1.yaml my-table1.yaml',
      'specrun diff --rev HEAD~1 specs/paper --results --format md',
      'specrun diff --rev origin/main specs/paper --results --fail-on stars@table1',
    ],
    complete: 'spec',
  },
  {
    name: 'init',
    summary: 'start a project from a data file: guess the panel, list the columns, write a starter spec that runs',
    usage: ['specrun init DATA [--out SPEC.yaml] [--sheet NAME] [--force]', 'specrun init --paper NAME [--out DIR]'],
    flags: [
      {
        name: 'out',
        value: 'PATH',
        help: "the spec to write (default: DATA's name with .yaml, beside it); with --paper a folder",
      },
      { name: 'sheet', value: 'NAME', help: 'XLSX: the sheet to read (default the first)' },
      {
        name: 'paper',
        value: 'NAME',
        help: 'copy a worked example (a folder of specs/ or a spec of specs/examples/) instead',
      },
      { name: 'force', help: 'overwrite an existing spec' },
      DEBUG,
      HELP_FLAG,
    ],
    examples: [
      'specrun init data/grunfeld.csv',
      'specrun init yearbook.xlsx --sheet 地级市 --out specs/main.yaml',
      'specrun init --paper grunfeld --out my-project',
    ],
    complete: 'data',
  },
  {
    name: 'lsp',
    summary:
      'the language server (Language Server Protocol over stdio) for editors: diagnostics, hover, completion, definitions',
    usage: ['specrun lsp --stdio'],
    flags: [{ name: 'stdio', help: 'talk over standard input and output (the only transport)' }, HELP_FLAG],
    examples: ['specrun lsp --stdio'],
    complete: 'none',
  },
  {
    name: 'completion',
    summary: 'print a shell completion script',
    usage: ['specrun completion bash|zsh'],
    flags: [HELP_FLAG],
    examples: [
      'specrun completion bash > ~/.local/share/bash-completion/completions/specrun',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
      'specrun completion zsh > "${fpath[1]}/_specrun"',
    ],
    complete: 'shell',
  },
];

/** Prototype-free lookup of a command by name. */
export function commandNamed(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Flags accepted by every command (before or after the command name). */
export const GLOBAL_FLAGS: readonly FlagDef[] = [
  { name: 'help', help: 'help for the command' },
  { name: 'version', help: 'print the version' },
  DEBUG,
];

export function globalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    `${version} — YAML specs to estimated, paper-ready tables`,
    '',
    'Usage: specrun COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `specrun COMMAND --help` for a command's options and examples; `specrun --version` for the version.",
    'Exit codes: 0 success; 1 the models could not be run (data or numerical problems); 2 the spec or the command line is wrong.',
    '',
  ];
  return lines.join('\n');
}

export function commandHelp(c: CommandDef): string {
  const flagText = (f: FlagDef) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;
  const width = Math.max(...c.flags.map((f) => flagText(f).length));
  return [
    `specrun ${c.name} — ${c.summary}`,
    '',
    'Usage:',
    ...c.usage.map((u) => `  ${u}`),
    '',
    'Options:',
    ...c.flags.flatMap((f) => [
      `  ${flagText(f).padEnd(width)}  ${f.help}`,
      ...(f.details ?? []).map((d) => `${' '.repeat(width + 6)}${d}`),
    ]),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** "unknown command 'rnu' — did you mean 'run'?" */
export function unknownCommand(name: string): string {
  return `unknown command '${name}': ${suggest(
    name,
    COMMANDS.map((c) => c.name),
    'command',
  )}`;
}

/** "unknown option --ot for run — did you mean '--out'?" */
export function unknownFlag(name: string, command: CommandDef | undefined): string {
  const known = (command ? command.flags : GLOBAL_FLAGS).map((f) => `--${f.name}`);
  const where = command ? ` for ${command.name}` : '';
  return `unknown option --${name}${where}: ${suggest(`--${name}`, known, 'option')}`;
}

/** A bash completion script: commands, then each command's flags; files for the positional arguments. */
export function bashCompletion(): string {
  const cases = COMMANDS.map((c) => {
    const flags = c.flags.map((f) => `--${f.name}`).join(' ');
    const files =
      c.complete === 'spec'
        ? `compgen -f -X '!*.@(yaml|yml)' -- "$cur"; compgen -d -- "$cur"`
        : c.complete === 'data'
          ? `compgen -f -X '!*.@(csv|tsv|txt|xlsx|gz)' -- "$cur"; compgen -d -- "$cur"`
          : c.complete === 'shell'
            ? `compgen -W "bash zsh" -- "$cur"`
            : ':';
    return `    ${c.name}) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flags}" -- "$cur")); else COMPREPLY=($(${files})); fi ;;`;
  });
  return [
    '# bash completion for specrun (generated by `specrun completion bash`)',
    '_specrun() {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '  local cur="${COMP_WORDS[COMP_CWORD]}"',
    '  shopt -s extglob',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=($(compgen -W "${COMMANDS.map((c) => c.name).join(' ')} --help --version" -- "$cur")); return`,
    '  fi',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    '  esac',
    '}',
    'complete -o filenames -F _specrun specrun',
    '',
  ].join('\n');
}

/** A zsh completion script (`#compdef specrun`). */
export function zshCompletion(): string {
  const esc = (s: string) => s.replace(/[\\'[\]:]/g, (ch) => `\\${ch}`);
  const cases = COMMANDS.map((c) => {
    const files =
      c.complete === 'spec'
        ? `'*:spec:_files -g "*.(yaml|yml)"'`
        : c.complete === 'data'
          ? `'*:data file:_files -g "*.(csv|tsv|txt|xlsx|gz)"'`
          : c.complete === 'shell'
            ? `'1:shell:(bash zsh)'`
            : '';
    const flags = c.flags
      .map((f) => `'--${f.name}[${esc(f.help)}]${f.value ? `:${f.value.toLowerCase()}:` : ''}'`)
      .join(' ');
    return `    ${c.name}) _arguments ${flags} ${files} ;;`;
  });
  return [
    '#compdef specrun',
    '# zsh completion for specrun (generated by `specrun completion zsh`)',
    '_specrun() {',
    '  if (( CURRENT == 2 )); then',
    `    _values 'command' ${COMMANDS.map((c) => `'${c.name}[${esc(c.summary)}]'`).join(' ')}; return`,
    '  fi',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '  case "${words[2]}" in',
    ...cases,
    '  esac',
    '}',
    '_specrun "$@"',
    '',
  ].join('\n');
}
