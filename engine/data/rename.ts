/**
 * `data.rename`, applied to every column at once (`{ a: b, b: a }` swaps two columns). A rename onto a name that
 * another column keeps or gets is a collision and an error: it used to replace the other column silently, so that
 * `rename: { x: y }` with a real `y` in the file regressed on the wrong series.
 */

export interface RenameCollision {
  readonly from: string;
  readonly to: string;
  /** What else ends up with the name `to`: `column y of the file` or `rename z → y`. */
  readonly other: string;
}

/** The new name of `column` (own keys only: a column named `constructor` is not renamed by the prototype). */
export function renamedName(column: string, rename: Readonly<Record<string, string>> | undefined): string {
  return rename && Object.hasOwn(rename, column) ? rename[column]! : column;
}

/** Collisions of `rename` over the file's columns, in the order the spec lists the renames. */
export function renameCollisions(
  columns: readonly string[],
  rename: Readonly<Record<string, string>> | undefined,
): RenameCollision[] {
  if (!rename) return [];
  const present = new Set(columns);
  const owner = new Map<string, string>(); // final name → what holds it
  for (const c of columns) if (!Object.hasOwn(rename, c)) owner.set(c, `column ${c} of the file`);
  const out: RenameCollision[] = [];
  for (const [from, to] of Object.entries(rename)) {
    if (!present.has(from) || from === to) continue;
    const other = owner.get(to);
    if (other !== undefined) out.push({ from, to, other });
    else owner.set(to, `rename ${from} → ${to}`);
  }
  return out;
}
