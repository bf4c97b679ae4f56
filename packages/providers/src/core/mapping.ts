/**
 * Declarative parameter mapping: one rule per unified field says where it goes
 * upstream (dot path), with default, clamp, transform, or that it is dropped
 * on purpose / unsupported (a clear bad_request). Paths are split once, when
 * the mapping is defined, not per request.
 */
import { unsupported } from './errors';

export interface FieldRule<S> {
  /** Upstream field, dot path (`generationConfig.topP`). Omit with `drop`/`unsupported`. */
  to?: string;
  /** Used when the unified field is absent (undefined or null). */
  default?: unknown;
  /** Clamp numbers into the provider's accepted range. */
  clamp?: readonly [min: number, max: number];
  /** Converts the value; returning undefined skips the field. */
  transform?: (value: NonNullable<unknown>, source: S) => unknown;
  /** Silently dropped on purpose: the provider has no equivalent and ignoring it is harmless. `reason` documents why. */
  drop?: string;
  /** Present → bad_request naming this feature. */
  unsupported?: string;
  /** With `unsupported`: values that are accepted anyway (e.g. n === 1). */
  allow?: (value: NonNullable<unknown>) => boolean;
}

export type FieldRules<S> = { readonly [K in keyof S]?: FieldRule<S> };

interface CompiledRule<S> {
  key: keyof S;
  path: string[] | undefined;
  rule: FieldRule<S>;
}

export interface Mapping<S> {
  /** Writes every mapped field of `source` into `target` (mutated and returned). */
  apply<T extends object>(source: S, target: T): T;
}

export function defineMapping<S extends object>(provider: string, rules: FieldRules<S>): Mapping<S> {
  const compiled: CompiledRule<S>[] = [];
  for (const key of Object.keys(rules) as Array<keyof S>) {
    const rule = rules[key];
    if (rule === undefined) continue;
    compiled.push({ key, path: rule.to === undefined ? undefined : rule.to.split('.'), rule });
  }
  return {
    apply<T extends object>(source: S, target: T): T {
      for (let i = 0; i < compiled.length; i++) {
        const { key, path, rule } = compiled[i]!;
        let value: unknown = source[key];
        if (value === undefined || value === null) {
          if (rule.default === undefined || path === undefined) continue;
          value = rule.default;
        } else {
          if (rule.unsupported !== undefined) {
            if (rule.allow === undefined || !rule.allow(value)) throw unsupported(provider, rule.unsupported);
          }
          if (rule.drop !== undefined || path === undefined) continue;
          if (rule.transform !== undefined) {
            value = rule.transform(value, source);
            if (value === undefined) continue;
          }
          if (rule.clamp !== undefined && typeof value === 'number') {
            value = Math.min(rule.clamp[1], Math.max(rule.clamp[0], value));
          }
        }
        setPath(target as Record<string, unknown>, path, value);
      }
      return target;
    },
  };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let obj = target;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const k = path[i]!;
    let next = obj[k];
    if (typeof next !== 'object' || next === null) {
      next = {};
      obj[k] = next;
    }
    obj = next as Record<string, unknown>;
  }
  obj[path[last]!] = value;
}

/** `stop` as an array (providers that take only lists). */
export function stopList(stop: NonNullable<unknown>): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.length > 0 ? (stop as string[]) : undefined;
  return undefined;
}
