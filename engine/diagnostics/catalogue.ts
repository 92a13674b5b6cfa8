/**
 * The one catalogue of diagnostic codes. Each entry: severity, a message template and a hint template, with
 * `{name}` placeholders filled from the arguments at the call site. Tests assert on codes, never on prose.
 *
 * `exit` is the CLI exit code an error of this kind leads to: 2 for a wrong spec or command line, 1 for a model or
 * data failure.
 */
/** How bad a diagnostic is: an error stops the command; a warning and an info are reported. */
export type Severity = 'error' | 'warning' | 'info';

export interface CatalogueEntry {
  severity: Severity;
  exit: 1 | 2;
  message: string;
  hint: string;
}

export const catalogue = {
  // ---- command line -------------------------------------------------------------------------------------------
  CLI_USAGE: {
    severity: 'error',
    exit: 2,
    message: '{detail}',
    hint: 'run `specrun --help` for the commands and flags',
  },
  CLI_NO_SPEC: {
    severity: 'error',
    exit: 2,
    message: 'no spec file given{detail}',
    hint: 'name one or more spec files or a folder of specs',
  },
  CLI_SHARD: {
    severity: 'error',
    exit: 2,
    message: '--shard {value}: {detail}',
    hint: 'write --shard K/N with whole numbers 1 ≤ K ≤ N (shard K of N), e.g. --shard 2/4, or --shard $SLURM_ARRAY_TASK_ID/4 in an array job numbered from 1',
  },
  INIT_EXISTS: {
    severity: 'error',
    exit: 2,
    message: '{file} exists already',
    hint: 'choose another path with --out, or pass --force to overwrite it',
  },
  INIT_UNKNOWN_PAPER: {
    severity: 'error',
    exit: 2,
    message: 'no worked example named {name}',
    hint: 'worked examples: {known}',
  },
  OUTPUT_NOT_WRITABLE: {
    severity: 'error',
    exit: 1,
    message: 'cannot write output to {dir}: {reason}',
    hint: 'choose a writable folder with --out',
  },

  // ---- load -----------------------------------------------------------------------------------------------------
  FILE_NOT_FOUND: {
    severity: 'error',
    exit: 2,
    message: 'cannot read {file}: {reason}',
    hint: 'check the path (relative paths are resolved from the spec file)',
  },
  SPEC_ENCODING: {
    severity: 'error',
    exit: 2,
    message: 'the spec is not valid UTF-8 (from this byte on)',
    hint: 'save the spec as UTF-8 (a GBK/GB18030 file shows its Chinese as garbage otherwise)',
  },
  YAML_SYNTAX: {
    severity: 'error',
    exit: 2,
    message: 'YAML syntax error: {detail}',
    hint: 'fix the YAML near this position (indentation, a missing colon or quote)',
  },
  YAML_NOT_MAP: {
    severity: 'error',
    exit: 2,
    message: 'a spec must be a YAML mapping at the top level',
    hint: 'start the file with keys such as `data:`, `models:`, `tables:`',
  },
  YAML_ALIAS_LIMIT: {
    severity: 'error',
    exit: 2,
    message: 'the YAML aliases expand to more than {limit} nodes',
    hint: 'write the repeated values out, or use `extends:`; this limit guards against alias bombs',
  },
  YAML_DUPLICATE_KEY: {
    severity: 'error',
    exit: 2,
    message: 'duplicate key {key}',
    hint: 'each key may appear once in a mapping; remove or rename one',
  },
  EXTENDS_CYCLE: {
    severity: 'error',
    exit: 2,
    message: 'extends cycle: {chain}',
    hint: 'a spec may not extend itself, directly or through other files',
  },
  EXTENDS_CONFLICT: {
    severity: 'error',
    exit: 2,
    message: "extends: no order of the bases {bases} keeps every file's own order of its bases",
    hint: 'two bases list their common bases in opposite orders; list them in one order everywhere',
  },
  EXTENDS_NOT_FOUND: {
    severity: 'error',
    exit: 2,
    message: 'extends target {file} cannot be read: {reason}',
    hint: 'extends takes a path relative to this spec file',
  },

  // ---- schema ---------------------------------------------------------------------------------------------------
  SCHEMA_UNKNOWN_KEY: { severity: 'error', exit: 2, message: 'unknown key {key}', hint: '{suggestion}' },
  SCHEMA_TYPE: {
    severity: 'error',
    exit: 2,
    message: '{path} must be {expected}',
    hint: 'see the spec reference in README.md',
  },
  SCHEMA_REQUIRED: { severity: 'error', exit: 2, message: 'missing required key {key}', hint: 'add `{key}:` here' },
  SCHEMA_ENUM: {
    severity: 'error',
    exit: 2,
    message: '{path} must be one of {allowed}',
    hint: 'use one of: {allowed}',
  },
  SCHEMA_RANGE: {
    severity: 'error',
    exit: 2,
    message: '{path} {detail}',
    hint: 'see the spec reference (docs/spec-reference.md) for the allowed range',
  },
  SCHEMA_INVALID: { severity: 'error', exit: 2, message: '{detail}', hint: 'see the spec reference in README.md' },

  // ---- semantics ------------------------------------------------------------------------------------------------
  EXPR_SYNTAX: {
    severity: 'error',
    exit: 2,
    message: 'cannot parse expression: {detail}',
    hint: 'expressions use + - * / ^, comparisons, and/or/not, and functions such as log(x), lag(x, 1), if(c, a, b)',
  },
  EXPR_TOO_DEEP: {
    severity: 'error',
    exit: 2,
    message: '{detail}',
    hint: 'split the expression into several derived variables',
  },
  LAG_NEGATIVE: {
    severity: 'error',
    exit: 2,
    message: '{name}() with a negative k ({k}) would be a {other} in disguise',
    hint: 'write {other}(x, k) with a positive k',
  },
  EXPR_UNKNOWN_FUNCTION: {
    severity: 'error',
    exit: 2,
    message: 'unknown function {name}',
    hint: 'known functions: {known}',
  },
  EXPR_ARITY: {
    severity: 'error',
    exit: 2,
    message: '{name}() takes {expected} argument(s), got {got}',
    hint: 'check the call',
  },
  EXPR_TYPE: {
    severity: 'error',
    exit: 2,
    message: '{detail}',
    hint: "text columns can only be compared with text (`province == '湖北'`) or used as groups",
  },
  EXPR_NEEDS_PANEL: {
    severity: 'error',
    exit: 2,
    message: '{name}() needs a panel',
    hint: 'set data.unit and data.time',
  },
  FORMULA_SYNTAX: {
    severity: 'error',
    exit: 2,
    message: 'cannot parse formula: {detail}',
    hint: 'write `y ~ x1 + x2 | fe1 + fe2`',
  },
  UNKNOWN_VARIABLE: { severity: 'error', exit: 2, message: 'unknown variable {name}', hint: '{suggestion}' },
  UNKNOWN_SAMPLE: { severity: 'error', exit: 2, message: 'unknown sample {name}', hint: '{suggestion}' },
  UNKNOWN_MODEL: { severity: 'error', exit: 2, message: 'unknown model {name}', hint: '{suggestion}' },
  VARIABLE_CYCLE: {
    severity: 'error',
    exit: 2,
    message: 'derived variables depend on each other in a cycle: {chain}',
    hint: 'break the cycle: a variable may only use data columns or variables that do not use it',
  },
  VARIABLE_SHADOWS_COLUMN: {
    severity: 'warning',
    exit: 2,
    message: 'derived variable {name} replaces the data column of the same name',
    hint: 'rename the derived variable if the data column is still needed',
  },
  UNKNOWN_TEMPLATE: {
    severity: 'error',
    exit: 2,
    message: 'template {file} cannot be read: {reason}',
    hint: 'templates are paths relative to the spec file',
  },
  TEMPLATE_ERROR: {
    severity: 'error',
    exit: 2,
    message: 'template {file} failed: {detail}',
    hint: 'check the Handlebars syntax of the template',
  },
  TABLE_EXTENDS_UNKNOWN: {
    severity: 'error',
    exit: 2,
    message: 'table {table} extends {name}, which is not a table of this spec',
    hint: '{suggestion}',
  },
  TABLE_EXTENDS_CYCLE: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: extends goes round in a circle ({chain})',
    hint: 'a table can extend another only if that one does not extend it back',
  },
  TABLE_PANEL_COLUMNS: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: panel {panel} has {count} column(s), the table {columns}',
    hint: 'give each panel one model per column of the table (its `columns` head every panel)',
  },
  TABLE_NO_COLUMNS: {
    severity: 'error',
    exit: 2,
    message: 'table {table} has no columns',
    hint: 'give `columns:` (model ids), or `extends:` another table to start from its columns',
  },
  TABLE_COLUMN_UNKNOWN: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: {name} is not a column of the table',
    hint: '{suggestion}; columns are named by their model id',
  },
  TABLE_GROUP_NOT_CONSECUTIVE: {
    severity: 'error',
    exit: 2,
    message:
      'table {table}: the columns of a group header ({columns}) are not next to each other, or overlap another group',
    hint: 'list columns that stand side by side, or reorder the columns',
  },
  TABLE_LAYOUT_MISMATCH: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: layout {layout} cannot show model {model} (estimator {estimator})',
    hint: 'the mediation layout needs a mediation model, the grid layout a ranksize model; use layout: regression otherwise',
  },
  LANG_NOT_AVAILABLE: {
    severity: 'warning',
    exit: 2,
    message: 'no text of this spec is given in language {lang} (it has {available})',
    hint: 'texts given per language fall back to the first one; add `{lang}:` variants or choose one of {available}',
  },
  UNKNOWN_ESTIMATOR: {
    severity: 'error',
    exit: 2,
    message: 'unknown estimator {name}',
    hint: 'known estimators: {known}',
  },
  SPEC_CONFLICT: { severity: 'error', exit: 2, message: '{detail}', hint: '{hint}' },
  UNSAFE_NAME: {
    severity: 'error',
    exit: 2,
    message: '{kind} id {name} cannot name a file: {reason}',
    hint: 'ids that name output files use letters, digits, `_`, `-` and `.`, do not start with `.`, and are at most 100 characters long',
  },
  OUTPUT_NAME_CONFLICT: { severity: 'error', exit: 2, message: '{detail}', hint: '{hint}' },
  DEPENDENT_ON_RIGHT: {
    severity: 'error',
    exit: 2,
    message: 'model {model}: the dependent variable {name} is also a regressor',
    hint: 'remove {name} from the right-hand side (a lag of it, `lag({name}, 1)`, is allowed)',
  },
  TABLE_KEEP_UNMATCHED: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: keep entry {name} matches no {what} of its columns',
    hint: '{suggestion}',
  },
  TABLE_DROP_UNMATCHED: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: drop entry {name} matches no {what} of its columns',
    hint: '{suggestion}',
  },
  TABLE_STAT_UNMATCHED: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: statistic {name} is reported by none of its columns',
    hint: '{suggestion}',
  },
  TABLE_INDICATOR_UNMATCHED: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: indicator term {name} is in none of its columns',
    hint: '{suggestion}',
  },
  TABLE_ROW_VALUES: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: row {row} has {count} value(s) for {columns} column(s)',
    hint: 'give one value per column, left to right (an empty string for a blank cell)',
  },
  TABLE_LABEL_UNMATCHED: {
    severity: 'warning',
    exit: 2,
    message: 'table {table}: label {name} names nothing the table shows',
    hint: '{suggestion}; if the label is kept on purpose, list TABLE_LABEL_UNMATCHED under expect_warnings',
  },
  TABLE_GROUPS_SHORT: {
    severity: 'warning',
    exit: 2,
    message: 'table {table}: the groups span {spanned} of its {columns} columns',
    hint: 'add or widen a group so the spans cover every column (a group with label "" leaves columns ungrouped); if intended, list TABLE_GROUPS_SHORT under expect_warnings',
  },
  TABLE_GROUP_SPAN: {
    severity: 'error',
    exit: 2,
    message: 'table {table}: the groups span {spanned} column(s) but the table has {columns}',
    hint: 'the spans of `groups` must add up to at most the number of columns',
  },

  // ---- data -----------------------------------------------------------------------------------------------------
  DATA_NOT_FOUND: {
    severity: 'error',
    exit: 1,
    message: 'cannot read data source {file}: {reason}',
    hint: 'data.source is a path relative to the spec file, or builtin:NAME',
  },
  DATA_UNKNOWN_BUILTIN: {
    severity: 'error',
    exit: 2,
    message: 'unknown built-in dataset {name}',
    hint: 'built-in datasets: {known}',
  },
  DATA_PARSE: {
    severity: 'error',
    exit: 1,
    message: 'cannot parse {file}: {detail}',
    hint: 'check the file format (CSV with a header row, or .xlsx)',
  },
  DATA_ENCODING: {
    severity: 'error',
    exit: 1,
    message: 'cannot decode {file} as {encoding}: {detail}',
    hint: "set data.encoding to the file's encoding (gbk for most Chinese Excel exports, or utf-8)",
  },
  DATA_UNKNOWN_SHEET: {
    severity: 'error',
    exit: 2,
    message: '{file} has no sheet named {sheet}',
    hint: 'sheets in this workbook: {known}',
  },
  DATA_UNSUPPORTED_FORMAT: {
    severity: 'error',
    exit: 2,
    message: 'cannot read {file}: unsupported file type {ext}',
    hint: 'data.source must be a .csv, .txt, .tsv (each optionally .gz), .xlsx, .parquet or Arrow IPC (.arrow, .feather, .ipc, .arrows) file, or builtin:NAME',
  },
  DATA_RENAME_COLLISION: {
    severity: 'error',
    exit: 2,
    message: 'rename {from} → {to} collides with {other}',
    hint: 'each renamed column needs a name no other column has or gets; rename the other column too, or choose another name',
  },
  DATA_MISSING_COLUMN: { severity: 'error', exit: 1, message: 'column {name} is not in {file}', hint: '{suggestion}' },
  DATA_NON_NUMERIC: {
    severity: 'error',
    exit: 1,
    message: 'column {name} is not numeric: row {row} has {value}',
    hint: 'fix the cell, declare it missing with data.na, or convert it in a derived variable',
  },
  DATA_DUPLICATE_UNIT_TIME: {
    severity: 'error',
    exit: 1,
    message: 'duplicate rows for unit {unit} at time {time} ({count} duplicates)',
    hint: 'each unit may appear once per period; remove the duplicates or fix data.unit / data.time',
  },
  DATA_LOG_NONPOSITIVE: {
    severity: 'warning',
    exit: 1,
    message: '{name}: log of a non-positive value in {count} row(s); set to missing',
    hint: 'check the input, or add a positive offset in the expression',
  },
  DATA_VALUE_MISSING: { severity: 'info', exit: 1, message: '{name}: {count} row(s) missing ({reason})', hint: '' },
  DATA_FIX_APPLIED: {
    severity: 'info',
    exit: 1,
    message: 'data fix on {column}: {action} in {count} row(s){reason}',
    hint: '',
  },
  DATA_UNIT_ALIAS: { severity: 'info', exit: 1, message: 'unit {from} renamed {to} in {count} row(s)', hint: '' },
  DATA_TIME_NOT_NUMERIC: {
    severity: 'error',
    exit: 1,
    message: 'the time column {name} must be numeric (a year or period number)',
    hint: 'point data.time at a numeric column',
  },
  DATA_SYNTHETIC: { severity: 'info', exit: 1, message: 'data are synthetic: {description}', hint: '' },
  DATA_NO_FILES: {
    severity: 'error',
    exit: 1,
    message: 'no file matches {pattern}',
    hint: "the glob is resolved from the spec file's folder; files in it: {known}",
  },
  DATA_BAD_PATTERN: {
    severity: 'error',
    exit: 2,
    message: 'not a valid regular expression: {pattern} ({detail})',
    hint: 'patterns are JavaScript regular expressions; escape ( ) [ ] . with a backslash to match them literally',
  },
  DATA_PERIOD_UNMATCHED: {
    severity: 'error',
    exit: 1,
    message: 'the period pattern {pattern} matches no period in the {from} name {name}',
    hint: 'the first capture group of the pattern must catch a whole number (a year) in every {from} name: names read are {known}',
  },
  DATA_COLUMN_NO_MATCH: {
    severity: 'error',
    exit: 1,
    message: 'no header of {file} matches {pattern} (for column {name})',
    hint: 'headers there: {headers}',
  },
  DATA_COLUMN_AMBIGUOUS: {
    severity: 'error',
    exit: 1,
    message: '{count} headers of {file} match {pattern} (for column {name}): {matches}',
    hint: 'make the pattern match exactly one header (anchor it with ^ and $, or add the 全市/市辖区 part)',
  },
  DATA_ROWS_DROPPED: {
    severity: 'info',
    exit: 1,
    message: '{source}: {count} row(s) dropped by drop_rows rule {rule} ({expr})',
    hint: '',
  },
  DATA_DROP_RULE_UNUSED: {
    severity: 'warning',
    exit: 1,
    message: 'drop_rows rule {expr} dropped no row of {source}',
    hint: 'a rule that matches nothing is likely misspelled; check it or remove it',
  },
  DATA_JOIN_KEY_MISSING: {
    severity: 'error',
    exit: 1,
    message: 'join key {name} is not a column of the {side} table ({file})',
    hint: '{suggestion}',
  },
  DATA_JOIN_DUPLICATE_KEY: {
    severity: 'error',
    exit: 1,
    message: 'join {relation}: key {key} appears {count} times in the {side} table {file}{more}',
    hint: 'the "one" side of a join must have each key once: remove the duplicates, add a key column to `on`, or declare the relation you mean',
  },
  DATA_JOIN_COLUMN_CONFLICT: {
    severity: 'error',
    exit: 2,
    message: 'column {name} is in both the main table and the joined table {file}',
    hint: 'keep it on one side only (list the wanted columns in `columns:` of the join) or rename it',
  },
  DATA_JOIN_UNMATCHED: {
    severity: 'warning',
    exit: 1,
    message: '{count} key(s) of {file} match no row of the main table (first: {first})',
    hint: 'check the spelling and the key columns; a unit renamed mid-panel needs data.unit_aliases',
  },
  DATA_FILTER_EMPTY: {
    severity: 'error',
    exit: 1,
    message: 'data.where keeps no row ({rows} row(s) before it)',
    hint: 'check the expression and the columns it reads',
  },
  DATA_FILTER_UNUSED: {
    severity: 'warning',
    exit: 1,
    message: 'data.where drops no row of {rows}',
    hint: 'a filter that keeps everything has no effect; check it or remove it',
  },
  DATA_ALIAS_UNUSED: {
    severity: 'warning',
    exit: 1,
    message: 'unit alias {from} → {to} matches no row',
    hint: 'no unit is named {from} in the data (or in a joined table keyed by the unit); check the spelling or remove the alias',
  },
  DATA_FIX_UNUSED: {
    severity: 'warning',
    exit: 1,
    message: 'data fix on {column} changed no cell{reason}',
    hint: 'its where matches no row with a value (or the action changes nothing); check the condition or remove the fix',
  },
  DATA_FIX_ACTION: {
    severity: 'error',
    exit: 2,
    message: 'a data fix {detail}',
    hint: 'write one column (column: x, or columns: [x, y]) and exactly one of multiply, set, set_missing, fill',
  },
  DATA_OUTLIER_CHANGED: { severity: 'info', exit: 1, message: '{name}: {fn}() changed {count} cell(s)', hint: '' },
  DATA_BUILTIN_SPEC: {
    severity: 'info',
    exit: 1,
    message: 'the corrections of {source} come from its own data spec {file}',
    hint: '',
  },
  TEXT_REGRESSOR: {
    severity: 'error',
    exit: 2,
    message: 'column {name} is text ({cell}), so it cannot be a regressor',
    hint: "a categorical variable goes after | as a fixed effect, or into a 0/1 derived variable (`hubei: province == '湖北'`); a numeric column with a bad cell needs the cell fixed or listed in data.na",
  },
  MULTIPLE_ESTIMATION: {
    severity: 'error',
    exit: 2,
    message: 'multiple estimation: {detail}',
    hint: 'c(y1, y2) on the left; one of sw(), sw0(), csw(), csw0(), mvsw() per part of the formula, as a term of its own: y ~ x + csw(a, b) | fe',
  },
  SPLIT_UNKNOWN_COLUMN: {
    severity: 'error',
    exit: 2,
    message: '{key}: {name} is neither a data column nor a derived variable',
    hint: '{suggestion}',
  },
  SPLIT_TOO_MANY: {
    severity: 'error',
    exit: 2,
    message: '{key}: {name} has {count} distinct values (at most {max} models per split)',
    hint: 'split by a grouping column, or list the values: { by: COLUMN, values: [...] }',
  },
  SPLIT_VALUE_ABSENT: {
    severity: 'error',
    exit: 2,
    message: '{key}: value {value} of {name} is in no row of the data, so its model would have no rows',
    hint: '{name} has {count} values: {some}',
  },
  SPLIT_VALUE_QUOTES: {
    severity: 'error',
    exit: 2,
    message: 'split: a value of {name} holds both quote characters: {value}',
    hint: 'rename the value in the data (data.fixes or a derived variable)',
  },
  SPLIT_EMPTY: {
    severity: 'error',
    exit: 1,
    message: 'model {model} has no rows: {detail}',
    hint: "leave the value out with { by: COLUMN, values: [...] }, or widen the model's sample",
  },
  GRID_UNKNOWN_PLACEHOLDER: {
    severity: 'error',
    exit: 2,
    message: 'grid {grid}: {{name}} names no dimension',
    hint: 'dimensions of the grid: {known}',
  },
  GRID_EMPTY_DIMENSION: {
    severity: 'error',
    exit: 2,
    message: 'grid dimension {name} has no alternatives',
    hint: 'give it at least one named alternative, or remove it',
  },
  GRID_UNUSED_DIMENSION: {
    severity: 'error',
    exit: 2,
    message: 'grid dimension {name} changes nothing: no {{name}} placeholder in the model and no mapping alternative',
    hint: 'write {{name}} where the alternatives go (formula: "y ~ x + {{name}}"), or give mappings of model keys',
  },
  GRID_BAD_ALTERNATIVE: {
    severity: 'error',
    exit: 2,
    message: 'alternative {name} of {dimension} must be a text or a mapping of model keys',
    hint: 'write `NAME: text` or `NAME: { key: value }`',
  },
  GRID_UNKNOWN_CHOICE: { severity: 'error', exit: 2, message: '{key}: unknown {what} {name}', hint: 'known: {known}' },
  GRID_TOO_LARGE: {
    severity: 'error',
    exit: 2,
    message: 'grid {grid} has {count} combinations (at most {max})',
    hint: 'split the grid, or exclude combinations',
  },
  GRID_EMPTY: {
    severity: 'error',
    exit: 2,
    message: 'grid {grid}: the exclude rules leave no model',
    hint: 'remove or narrow an exclude rule',
  },
  GRID_EXCLUDE_NOTHING: {
    severity: 'warning',
    exit: 2,
    message: 'grid {grid}: this exclude rule matches no combination',
    hint: 'check the alternative names; remove the rule if it is no longer needed',
  },
  EMPTY_SAMPLE: {
    severity: 'error',
    exit: 1,
    message: 'sample {name} has no rows',
    hint: 'check the sample expression and the data it filters',
  },
  DATA_SERIES_JUMP: {
    severity: 'warning',
    exit: 1,
    message:
      '{name}: the median across units jumps {ratio}× from {from} to {to}, which no unit factor (a power of ten) explains',
    hint: 'check the series for a break in definition or coverage around {to}; declare a fix in data.fixes only once its cause is known',
  },
  DATA_UNIT_BREAK: {
    severity: 'warning',
    exit: 1,
    message:
      '{name}: the median across units jumps {ratio}× from {from} to {to} (a unit change? if so declare data.fixes: [{ column: {name}, where: "{where}", multiply: {factor} }])',
    hint: 'if the unit changed, declare it: data.fixes: [{ column: {name}, where: "{where}", multiply: {factor}, reason: ... }]',
  },

  // ---- transforms (pim, deflate, convert, specialization, gap) --------------------------------------------------
  TRANSFORM_NEEDS_PANEL: {
    severity: 'error',
    exit: 2,
    message: '{name}: {transform} needs a panel (data.unit and data.time)',
    hint: 'declare data.unit and data.time',
  },
  TRANSFORM_BAD_PARAMETER: { severity: 'error', exit: 2, message: '{name}: {detail}', hint: '{hint}' },
  TRANSFORM_BAD_ROLE: {
    severity: 'error',
    exit: 1,
    message: '{name}: column {column} must be 0 or 1 (row {row} has {value})',
    hint: 'the role/reference column marks reference units with 1 and the others with 0',
  },
  TRANSFORM_NO_REFERENCE: {
    severity: 'warning',
    exit: 1,
    message: '{name}: {groups} group-period(s) have no reference unit ({where}); {count} row(s) set missing',
    hint: 'check the reference column: every group needs at least one unit marked 1 in each period',
  },
  TRANSFORM_REFERENCE_MISSING: {
    severity: 'warning',
    exit: 1,
    message:
      '{name}: {groups} group-period(s) have a reference unit without a value ({where}); {count} row(s) set missing',
    hint: '{hint}',
  },
  TRANSFORM_ZERO_EMPLOYMENT: {
    severity: 'warning',
    exit: 1,
    message: '{name}: zero {kind} employment in {count} row(s) ({where}); the index is set missing there',
    hint: 'a ratio with a zero denominator is undefined; check the sector columns',
  },
  TRANSFORM_NEGATIVE_INPUT: {
    severity: 'warning',
    exit: 1,
    message: '{name}: {column} is negative in {count} row(s) ({where}); {detail}',
    hint: 'correct the input or declare the cell missing in data.fixes',
  },
  TRANSFORM_INCOMPLETE_GROUP: {
    severity: 'info',
    exit: 1,
    message:
      '{name}: the group totals of {count} group-period(s) leave out {units} unit-row(s) with missing sector data ({where})',
    hint: '',
  },
  PIM_INITIAL_FALLBACK: {
    severity: 'warning',
    exit: 1,
    message: '{name}: g + δ ≤ 0 for {count} unit(s) ({where}); their initial stock uses g = 0, K_0 = I_0 / δ',
    hint: 'real investment falls fast over the first years; consider a longer growth_years',
  },

  // ---- SBM efficiency (engine/transforms/sbm) ---------------------------------------------------------------------
  SBM_BAD_PARAMETER: { severity: 'error', exit: 2, message: '{name}: {detail}', hint: '{hint}' },
  SBM_NO_TIME: {
    severity: 'error',
    exit: 2,
    message: '{name}: frontier {frontier} needs a time column',
    hint: 'set data.time, or use frontier: global',
  },
  SBM_NO_PERIOD: {
    severity: 'info',
    exit: 1,
    message: '{name}: {count} row(s) without a period get no score',
    hint: '',
  },
  SBM_MISSING_DATA: {
    severity: 'info',
    exit: 1,
    message: '{name}: {count} unit(s) with a missing input or output get no score',
    hint: '',
  },
  SBM_NONPOSITIVE: {
    severity: 'warning',
    exit: 1,
    message: '{name}: {count} unit(s) with {what} in {vars} get no score',
    hint: "SBM divides by each unit's own values; fix the data, or set `nonpositive: dear` for deaR's rule on zeros",
  },
  SBM_ZERO_REPLACED: {
    severity: 'info',
    exit: 1,
    message: "{name}: {count} zero value(s) replaced by deaR's rule (smallest positive value of the frontier / 100)",
    hint: '',
  },
  SBM_LP_FAILED: {
    severity: 'warning',
    exit: 1,
    message: '{name}: no certified LP optimum for {count} unit(s), their score is missing (first: {detail})',
    hint: 'every SBM number is verified before use; report this with the data',
  },
  SBM_SUPER_INFEASIBLE: {
    severity: 'warning',
    exit: 1,
    message: '{name}: the super-efficiency LP of {count} efficient unit(s) has no solution; their score is missing',
    hint: 'this can happen under rts: vrs; use rts: crs or super: false',
  },

  // ---- estimation -----------------------------------------------------------------------------------------------
  TABLE_SKIPPED: {
    severity: 'error',
    exit: 1,
    message: 'table {table} not written: {reason}',
    hint: 'fix the failure above; --keep-going wrote the other tables',
  },
  ESTIMATION_FAILED: {
    severity: 'error',
    exit: 1,
    message: 'model {model} could not be estimated: {detail}',
    hint: '{hint}',
  },
  NO_OBSERVATIONS: {
    severity: 'error',
    exit: 1,
    message: 'model {model} has no complete observations',
    hint: 'check for missing values in the variables of the model and its sample',
  },
  ALL_COLLINEAR: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: every regressor is collinear with the fixed effects or with each other',
    hint: 'remove regressors that do not vary within the fixed effects',
  },
  NO_RESIDUAL_DF: {
    severity: 'error',
    exit: 1,
    message:
      'model {model}: {n} observation(s) for {k} coefficient(s) and fixed effects; no residual degrees of freedom, so no standard errors',
    hint: 'widen the sample or remove regressors or fixed effects',
  },
  VCOV_ONE_CLUSTER: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: the sample has {count} cluster(s) of {name}; a clustered variance needs at least two',
    hint: 'widen the sample, cluster on another variable, or use vcov: hc1',
  },
  PERFECT_FIT: {
    severity: 'warning',
    exit: 1,
    message: 'model {model}: the regressors fit {name} exactly (R² = 1); a regressor is probably a copy of it',
    hint: 'check the definitions of the regressors: one of them may be the dependent variable under another name',
  },
  COLLINEAR_DROPPED: {
    severity: 'warning',
    exit: 1,
    message: '{names} dropped: collinear with the other regressors or the fixed effects',
    hint: 'remove the variable or the fixed effect it duplicates',
  },
  MISSING_DROPPED: {
    severity: 'info',
    exit: 1,
    message: '{count} observation(s) removed because of missing values',
    hint: '',
  },
  SINGLETONS_DROPPED: {
    severity: 'info',
    exit: 1,
    message: '{count} singleton observation(s) removed (fixed effect {fe})',
    hint: '',
  },
  DESCRIBE_TEXT_COLUMN: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: {name} is a text column; descriptive statistics and correlations need numbers',
    hint: 'describe a numeric column, or group by this one with `by: {name}`',
  },
  DESCRIBE_MISSING: {
    severity: 'info',
    exit: 1,
    message: '{variable}: {count} of {rows} row(s) missing, left out of its statistics',
    hint: '',
  },
  DESCRIBE_BY_MISSING: {
    severity: 'info',
    exit: 1,
    message: 'model {model}: {count} row(s) with {by} missing belong to no group and are left out',
    hint: '',
  },
  DESCRIBE_TEST_GROUPS: {
    severity: 'warning',
    exit: 1,
    message:
      'model {model}: {by} has {count} group(s); the difference-in-means test needs exactly two, so none is reported',
    hint: 'set `test: none` on the model, or group by a column with two values',
  },
  CORRELATION_UNDEFINED: {
    severity: 'warning',
    exit: 1,
    message: 'model {model}: no correlation for {pairs} (a variable does not vary, or fewer than two rows)',
    hint: 'check the variables in the sample; the cells are left blank',
  },
  FE_NOT_CONVERGED: {
    severity: 'warning',
    exit: 1,
    message: 'demeaning did not converge in {iter} iterations (change {change})',
    hint: 'the fixed effects may be nearly collinear; check the data',
  },

  // ---- formula terms, IV, weights, wild bootstrap (engine/estimate/terms, iv, ols/weights, wild) ------------------
  IV_INSTRUMENT_IS_REGRESSOR: {
    severity: 'error',
    exit: 2,
    message: 'instrument {name} is also {role}',
    hint: 'an excluded instrument must not appear among the regressors; move it to one side of the formula',
  },
  IV_UNDERIDENTIFIED: {
    severity: 'error',
    exit: 2,
    message: '{k} endogenous variable(s) but only {l} instrument(s): the model is not identified',
    hint: 'give at least one excluded instrument per endogenous variable: `endog ~ z1 + z2`',
  },
  IV_INSTRUMENTS_COLLINEAR: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: after removing collinear columns, {l} instrument(s) remain for {k} endogenous variable(s)',
    hint: 'the instruments ({names}) must vary within the fixed effects and not duplicate the exogenous regressors',
  },
  WEIGHTS_NEGATIVE: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: weights column {name} is negative in {count} row(s) (first: row {row}, {value})',
    hint: 'analytic weights must be positive; fix the column or derive a positive weight',
  },
  WEIGHTS_ZERO_DROPPED: {
    severity: 'warning',
    exit: 1,
    message: '{count} observation(s) with weight 0 in {name} removed',
    hint: 'rows with zero weight carry no information (fixest removes them too); filter them with a sample to silence this',
  },
  FACTOR_REF_UNKNOWN: {
    severity: 'warning',
    exit: 1,
    message: '{term}: reference level {value} is not a level of {factor} in the sample',
    hint: 'levels of {factor}: {levels}',
  },
  SUNAB_COHORT_VARIES: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: sunab cohort {cohort} is not constant within unit {unit} ({values})',
    hint: 'the cohort is the period of first treatment of a unit; define it once per unit (e.g. group_min over treated years)',
  },
  SUNAB_NO_CONTROL: {
    severity: 'warning',
    exit: 1,
    message:
      'model {model}: sunab({cohort}, {period}) finds no never-treated unit (cohort outside the periods of the sample)',
    hint: 'without never-treated units the last-treated cohort is not a clean control; fixest behaves the same way',
  },
  FIGURE_NULL_UNSUPPORTED: {
    severity: 'error',
    exit: 1,
    message:
      'the null inference of a specification curve needs linear models with a panel unit; {model} is {estimator}',
    hint: 'leave `inference:` out of the figure, or keep the curve to ols models',
  },
  FIGURE_NO_TERMS: {
    severity: 'error',
    exit: 2,
    message: 'figure {figure}: model {model} has no coefficients TERM::k for term {term}',
    hint: 'event-study figures plot i() or sunab() coefficients; term families of this model: {known}',
  },
  FIGURE_FAILED: {
    severity: 'error',
    exit: 1,
    message: 'figure {figure} could not be rendered: {detail}',
    hint: 'check the figure spec; this may be a bug in specrun',
  },
  FIGURE_PDF_GLYPHS: {
    severity: 'info',
    exit: 1,
    message:
      '{figure}.pdf shows {count} character(s) of its text as ? ({chars}): its font, {font}, has no glyph for them',
    hint: 'set pdf_font: on the figure to a TrueType or OpenType font file that has them; {figure}.svg has every character',
  },
  FIGURE_FONT: {
    severity: 'error',
    exit: 2,
    message: 'pdf_font {file} cannot be used: {reason}',
    hint: 'pdf_font: names a TrueType or OpenType font file (.ttf, .otf), relative to the spec file',
  },
  WILD_TERM_UNKNOWN: {
    severity: 'error',
    exit: 2,
    message: 'model {model}: inference.wild.terms names {name}, which is not a coefficient of the model',
    hint: 'coefficients: {known}',
  },
  WILD_FEW_CLUSTERS: {
    severity: 'info',
    exit: 1,
    message: 'wild bootstrap of {term}: {count} sign vectors enumerated (2^{G}), instead of {reps} random draws',
    hint: '',
  },

  // ---- dynamic panel GMM (engine/estimate/gmm) -------------------------------------------------------------------
  GMM_NO_PANEL: {
    severity: 'error',
    exit: 2,
    message: 'GMM model {model} needs a panel: data.unit and data.time must both be set',
    hint: 'declare the unit and time columns under data:',
  },
  GMM_ONE_PERIOD: {
    severity: 'error',
    exit: 1,
    message: 'GMM model {model}: the sample has a single period ({period}); differenced equations need at least two',
    hint: 'widen the sample to several periods per unit',
  },
  GMM_PANEL_TOO_SHORT: {
    severity: 'error',
    exit: 1,
    message:
      'GMM model {model}: the panel has {periods} period(s), too few for the longest lag ({lag}) plus one difference',
    hint: 'shorten the lags in the formula or the first lag of the GMM instruments',
  },
  GMM_LAG_RANGE: {
    severity: 'error',
    exit: 2,
    message: 'GMM model {model}: instrument lag range [{from}, {to}] for {variable} {reason}',
    hint: 'write [first, last] with 1 <= first <= last and first below the number of periods ({periods})',
  },
  GMM_IV_CONFLICT: {
    severity: 'error',
    exit: 2,
    message: 'GMM model {model}: {variable} is both a GMM-style and an IV-style instrument',
    hint: 'list {variable} under gmm.instruments or under gmm.iv, not both',
  },
  GMM_UNDERIDENTIFIED: {
    severity: 'error',
    exit: 1,
    message: 'GMM model {model}: {instruments} instrument(s) for {coefficients} coefficient(s)',
    hint: 'add instruments (a longer lag range, more GMM-style variables) or fewer regressors',
  },
  GMM_AR_UNAVAILABLE: {
    severity: 'warning',
    exit: 1,
    message: 'AR({order}) test not computed: {reason}',
    hint: 'the Arellano–Bond AR({order}) test needs residuals {order} periods apart within a unit',
  },
  GMM_TOO_MANY_INSTRUMENTS: {
    severity: 'warning',
    exit: 1,
    message:
      '{instruments} instruments exceed the {groups} groups; the Hansen test is weak and the two-step SEs unreliable',
    hint: 'set gmm.collapse: true or shorten the lag ranges',
  },
  GMM_SINGULAR_WEIGHT: {
    severity: 'warning',
    exit: 1,
    message:
      'the {step} weighting matrix is singular (rank {rank} of {size}); a Moore–Penrose generalised inverse is used',
    hint: 'instruments are linearly dependent; collapse them or shorten the lag ranges',
  },
  GMM_EMPTY_INSTRUMENTS: {
    severity: 'info',
    exit: 1,
    message: '{count} instrument column(s) with no data in the sample dropped',
    hint: '',
  },
  GMM_TIME_DUMMY_DROPPED: {
    severity: 'info',
    exit: 1,
    message:
      'time dummies {names} dropped: no equation of the sample identifies them (periods without equations, or collinear with the other periods)',
    hint: '',
  },
  GMM_ZERO_REGRESSOR: {
    severity: 'error',
    exit: 1,
    message: 'GMM model {model}: {names} is zero in every equation of the sample',
    hint: 'check how {names} is defined on this sample; a variable constant at zero, or time-invariant in difference GMM, cannot be estimated',
  },

  // ---- GLMs, Tobit, panel threshold (engine/estimate/glm, tobit, threshold) ---------------------------------------
  GLM_OUTCOME_RANGE: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: the {estimator} outcome {name} must be {range}, but row {row} has {value}',
    hint: 'check the outcome variable; a count model needs counts, a binary model 0/1 outcomes',
  },
  WEIGHTS_NOT_POSITIVE: {
    severity: 'error',
    exit: 1,
    message: 'model {model}: weights {name} must be positive, but row {row} has {value}',
    hint: 'drop the rows with zero or negative weights with a sample, or fix the weight column',
  },
  GLM_PERFECT_FIT_DROPPED: {
    severity: 'info',
    exit: 1,
    message: '{count} observation(s) removed: fixed-effect groups with {outcome} outcomes ({groups}), as fixest',
    hint: '',
  },
  GLM_NOT_CONVERGED: {
    severity: 'warning',
    exit: 1,
    message: 'IRLS did not converge in {iter} iterations',
    hint: 'the outcome may be (quasi-)separated by a regressor; check the estimates',
  },
  TOBIT_NO_CENSORING: {
    severity: 'error',
    exit: 2,
    message: 'tobit model {model}: {detail}',
    hint: 'give left: and/or right: censoring points, with left below right',
  },
  TOBIT_BEYOND_CENSORING: {
    severity: 'info',
    exit: 1,
    message:
      '{count} value(s) of {name} beyond the censoring points [{left}, {right}] treated as censored at the nearer point (as AER::tobit)',
    hint: '',
  },
  TOBIT_NOT_CONVERGED: {
    severity: 'warning',
    exit: 1,
    message: 'tobit: the Newton iterations did not converge in {iter} steps',
    hint: 'check for a regressor that perfectly separates censored from uncensored outcomes',
  },
  THRESHOLD_TOO_FEW_VALUES: {
    severity: 'error',
    exit: 1,
    message:
      'threshold model {model}: {name} has {distinct} distinct value(s) in the trimmed range, too few for {thresholds} threshold(s)',
    hint: 'use a threshold variable with more distinct values, fewer thresholds, or a smaller trim',
  },
  THRESHOLD_BAD_OPTION: { severity: 'error', exit: 2, message: 'threshold model {model}: {detail}', hint: '{hint}' },

  // ---- mediation and rank-size (engine/estimate/mediation, engine/estimate/ranksize, engine/transforms/ranksize) --
  MEDIATION_SAME_VARIABLE: {
    severity: 'error',
    exit: 2,
    message: 'mediation model {model}: {first} and {second} name the same variable ({name})',
    hint: 'treatment, mediator and outcome must be three different variables',
  },
  MEDIATION_IDENTICAL_COLUMNS: {
    severity: 'error',
    exit: 1,
    message: 'mediation model {model}: {first} ({a}) and {second} ({b}) have identical values in the sample',
    hint: 'the mediator must differ from the treatment; check the variable definitions',
  },
  MEDIATION_COEFFICIENT_MISSING: {
    severity: 'error',
    exit: 1,
    message: 'mediation model {model}: {name} was not estimated in the {step} equation (collinear or constant)',
    hint: 'check that {name} varies within the fixed effects and is not collinear with the controls',
  },
  BOOTSTRAP_REPS_FAILED: {
    severity: 'warning',
    exit: 1,
    message: '{failed} of {reps} bootstrap replicate(s) could not be estimated and were left out',
    hint: 'resampled data can be collinear when clusters are few; consider more clusters or fewer fixed effects',
  },
  BOOTSTRAP_BC_UNDEFINED: {
    severity: 'warning',
    exit: 1,
    message: 'bias-corrected bootstrap interval undefined: {detail}',
    hint: 'increase the number of replicates',
  },
  RANKSIZE_TOO_FEW_UNITS: {
    severity: 'info',
    exit: 1,
    message: 'rank-size: group {group} in period {period} has {n} unit(s) with a positive size; q needs at least {min}',
    hint: '',
  },
  RANKSIZE_NONPOSITIVE: {
    severity: 'warning',
    exit: 1,
    message: 'rank-size: {count} row(s) with a missing or non-positive {name} left out of the ranking',
    hint: 'a size must be positive for its logarithm; check the data',
  },
  RANKSIZE_TIES: {
    severity: 'info',
    exit: 1,
    message: 'rank-size: {count} cell(s) have tied sizes; tied units share their average rank',
    hint: '',
  },
  RANKSIZE_NO_CENTRES: {
    severity: 'info',
    exit: 1,
    message:
      'rank-size: group {group} in period {period} never reaches q > {threshold} before fewer than {min} units remain; centres undefined',
    hint: '',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;
