/**
 * The transforms, by kind (the single key of a transform variable: `{ pim: {...} }`). Adding a transform is one module
 * (its spec type and its Transform) and one line in BUILTIN_TRANSFORMS. Normalize (dependency order), the semantic
 * checks (unknown inputs), the schema check and the data stage reach a transform only through a registry.
 */
import { convertTransform } from './convert.js';
import { deflateTransform } from './deflate.js';
import { gapTransform } from './gap.js';
import { pimTransform } from './pim.js';
import { rankSizeModule } from './ranksize.js';
import { sbmModule } from './sbm/index.js';
import { specializationTransform } from './specialization.js';
import { withDefaults, type AnyTransform } from './types.js';

const BUILTIN_TRANSFORMS: readonly AnyTransform[] = [
  pimTransform,
  deflateTransform,
  convertTransform,
  specializationTransform,
  gapTransform,
  sbmModule,
  rankSizeModule,
];

export class TransformRegistry {
  private readonly byKind = new Map<string, AnyTransform>();

  constructor(modules: readonly AnyTransform[]) {
    for (const m of modules) {
      if (this.byKind.has(m.kind)) throw new Error(`transform kind ${m.kind} registered twice`);
      this.byKind.set(m.kind, m);
    }
  }

  with(...modules: readonly AnyTransform[]): TransformRegistry {
    return new TransformRegistry([...this.byKind.values(), ...modules]);
  }

  find(kind: string): AnyTransform | undefined {
    return this.byKind.get(kind);
  }

  /** The transform a variable mapping selects (its first key that names a registered kind), or null. */
  kindOf(variable: object): string | null {
    for (const k of Object.keys(variable)) if (this.byKind.has(k)) return k;
    return null;
  }

  /** The columns a transform variable reads (none when it names no registered kind). */
  inputsOf(variable: object): string[] {
    const kind = this.kindOf(variable);
    return kind ? this.byKind.get(kind)!.inputs(variable) : [];
  }

  /** The variable with its transform's defaults filled (normalization); unchanged when it names no registered kind. */
  normalized(variable: object): object {
    const kind = this.kindOf(variable);
    return kind ? withDefaults(this.byKind.get(kind)!, variable) : variable;
  }

  get kinds(): string[] {
    return [...this.byKind.keys()];
  }

  get modules(): AnyTransform[] {
    return [...this.byKind.values()];
  }
}

export function builtinTransforms(): TransformRegistry {
  return new TransformRegistry(BUILTIN_TRANSFORMS);
}
