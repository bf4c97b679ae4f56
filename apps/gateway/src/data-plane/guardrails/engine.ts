/**
 * The guardrail engine: a tenant's policy (plus a key's override) compiled once
 * and cached with the tenant entry, and a per-request session that checks the
 * prompt (size, injection score, custom rules, PII in one pass), then the
 * answer (PII and secrets, custom rules, size) and restores tokenized values in
 * it — whole answers or streamed chunk by chunk with a small carry buffer.
 *
 * Decisions (counts, scores, rule ids, actions — never the matched values) are
 * kept in `decisions` and go to the usage event's `metadata.guardrails`.
 */
import { GatewayError, type GuardrailsPolicy, guardrailsOverrideSchema, type PiiType } from '@conduit/contracts';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse } from '@conduit/providers';
import { matchedType, PII_LABEL, piiRegex, scoreInjection, validMatch } from './detectors.js';

interface CompiledRule {
  name: string;
  re: RegExp;
  action: 'block' | 'flag' | 'mask' | 'log';
  input: boolean;
  output: boolean;
  replacement: string;
}

export interface CompiledGuardrails {
  policy: GuardrailsPolicy;
  inputPii: RegExp | null;
  outputPii: RegExp | null;
  rules: CompiledRule[];
}

export function compileGuardrails(policy: GuardrailsPolicy): CompiledGuardrails | null {
  if (!policy.enabled) return null;
  return {
    policy,
    inputPii: policy.pii.action === 'off' ? null : piiRegex(policy.pii.types),
    outputPii: policy.output.action === 'off' ? null : piiRegex(policy.output.types),
    rules: policy.customRules.map((r) => ({
      name: r.name,
      re: new RegExp(r.pattern, r.flags.includes('g') ? r.flags : `${r.flags}g`),
      action: r.action,
      input: r.appliesTo !== 'output',
      output: r.appliesTo !== 'input',
      replacement: r.replacement,
    })),
  };
}

/** Applies a key's override (`limits.guardrails`): given sections replace the tenant's. */
export function mergeOverride(policy: GuardrailsPolicy, override: unknown): GuardrailsPolicy {
  if (override === undefined || override === null) return policy;
  const parsed = guardrailsOverrideSchema.safeParse(override);
  if (!parsed.success) return policy; // a malformed override never weakens the tenant's policy
  const merged: GuardrailsPolicy = { ...policy };
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}

interface TenantLike {
  settings: { guardrails: GuardrailsPolicy };
}
interface KeyLike {
  limits: Record<string, unknown>;
}

const byTenant = new WeakMap<object, CompiledGuardrails | null>();
const byKey = new WeakMap<object, { tenant: object; compiled: CompiledGuardrails | null }>();

/**
 * The compiled policy for a key of a tenant, or null when guardrails are off.
 * Cached per tenant/key entry object: the access cache replaces an entry when
 * it reloads one, so a changed policy compiles again and nothing else does.
 */
export function guardrailsFor(tenant: TenantLike, key: KeyLike | undefined): CompiledGuardrails | null {
  const override = key?.limits['guardrails'];
  if (key && override !== undefined) {
    const hit = byKey.get(key);
    if (hit && hit.tenant === tenant) return hit.compiled;
    const compiled = compileGuardrails(mergeOverride(tenant.settings.guardrails, override));
    byKey.set(key, { tenant, compiled });
    return compiled;
  }
  let compiled = byTenant.get(tenant);
  if (compiled === undefined) {
    compiled = compileGuardrails(tenant.settings.guardrails);
    byTenant.set(tenant, compiled);
  }
  return compiled;
}

// ───────────────────────────── per request ─────────────────────────────

export interface RuleHit {
  rule: string;
  action: string;
  count: number;
}

export interface SideDecisions {
  /** matches per PII type */
  pii?: Partial<Record<PiiType, number>>;
  piiAction?: string;
  custom?: RuleHit[];
  chars?: number;
  blocked?: string;
}

export interface GuardrailDecisions {
  input: SideDecisions & { injection?: { score: number; rules: string[]; action: string } };
  output?: SideDecisions;
  /** an injection or a custom rule flagged the request */
  flagged?: boolean;
}

const PLACEHOLDER = /\[(EMAIL|PHONE|CARD|IBAN|IP|SECRET)_(\d+)\]/g;
/** Characters a stream keeps back while output checks are on: the longest value the detectors must see whole. */
const OUTPUT_WINDOW = 64;
/** `[SECRET_9999]` */
const MAX_PLACEHOLDER = 14;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const p of content as { type?: string; text?: unknown }[]) if (p && p.type === 'text' && typeof p.text === 'string') s += (s ? '\n' : '') + p.text;
  return s;
}

export class GuardrailSession {
  readonly decisions: GuardrailDecisions = { input: {} };
  /** placeholder → original value (tokenize) */
  private readonly tokens = new Map<string, string>();
  private readonly byValue = new Map<string, string>();
  private readonly seq: Partial<Record<string, number>> = {};
  private outputChars = 0;
  /** stream carry per choice index */
  private readonly carry = new Map<number, string>();

  constructor(readonly g: CompiledGuardrails) {}

  // ───── input ─────

  /**
   * Checks the prompt. Throws `guardrail_blocked` (400) or `request_too_large`
   * (413) when the policy says so; otherwise returns the request to send
   * upstream (the same object when nothing changed).
   */
  checkRequest(chat: ChatRequest): ChatRequest {
    const p = this.g.policy;
    const d = this.decisions.input;
    let chars = 0;
    let userText = '';
    for (const m of chat.messages) {
      const t = textOf(m.content);
      chars += t.length;
      if (m.role === 'user' || m.role === 'tool') userText += (userText ? '\n' : '') + t;
    }
    d.chars = chars;
    if (p.maxRequestChars !== null && chars > p.maxRequestChars) {
      d.blocked = 'size';
      throw new GatewayError('request_too_large', `The messages carry ${chars} characters; this key's guardrail policy allows at most ${p.maxRequestChars}.`, { param: 'messages' });
    }
    if (p.injection.action !== 'off') {
      const v = scoreInjection(userText);
      if (v.rules.length) {
        const over = v.score >= p.injection.threshold;
        d.injection = { score: v.score, rules: v.rules, action: over ? p.injection.action : 'below_threshold' };
        if (over && p.injection.action === 'block') {
          d.blocked = 'injection';
          throw new GatewayError(
            'guardrail_blocked',
            `The request was blocked by the prompt-injection guardrail (score ${v.score}, rules: ${v.rules.join(', ')}).`,
            { param: 'messages', details: { guardrail: 'injection', score: v.score, rules: v.rules } },
          );
        }
        if (over && p.injection.action === 'flag') this.decisions.flagged = true;
      }
    }
    // custom rules that decide (block / flag / log) look at the whole prompt once
    for (const r of this.g.rules) {
      if (!r.input || r.action === 'mask') continue;
      r.re.lastIndex = 0;
      const count = [...(userText + '\n' + chat.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n')).matchAll(r.re)].length;
      if (!count) continue;
      (d.custom ??= []).push({ rule: r.name, action: r.action, count });
      if (r.action === 'block') {
        d.blocked = `custom:${r.name}`;
        throw new GatewayError('guardrail_blocked', `The request was blocked by the guardrail rule "${r.name}".`, { param: 'messages', details: { guardrail: 'custom', rule: r.name } });
      }
      if (r.action === 'flag') this.decisions.flagged = true;
    }
    const masking = this.g.rules.some((r) => r.input && r.action === 'mask');
    if (!this.g.inputPii && !masking) return chat;

    let changed = false;
    const messages = chat.messages.map((m) => {
      const next = this.redactMessage(m);
      if (next !== m) changed = true;
      return next;
    });
    if (d.pii) {
      d.piiAction = p.pii.action;
      if (p.pii.action === 'block') {
        d.blocked = 'pii';
        throw new GatewayError('guardrail_blocked', `The request contains personal data or secrets (${Object.keys(d.pii).join(', ')}), which this key's guardrail policy does not allow.`, {
          param: 'messages',
          details: { guardrail: 'pii', types: Object.keys(d.pii) },
        });
      }
    }
    if (!changed) return chat;
    return { ...chat, messages };
  }

  private redactMessage(m: ChatMessage): ChatMessage {
    const c = m.content;
    if (typeof c === 'string') {
      const t = this.redactInput(c);
      return t === c ? m : ({ ...m, content: t } as ChatMessage);
    }
    if (!Array.isArray(c)) return m;
    let changed = false;
    const parts = (c as { type: string; text?: string }[]).map((part) => {
      if (part.type !== 'text' || typeof part.text !== 'string') return part;
      const t = this.redactInput(part.text);
      if (t === part.text) return part;
      changed = true;
      return { ...part, text: t };
    });
    return changed ? ({ ...m, content: parts } as ChatMessage) : m;
  }

  private redactInput(text: string): string {
    let out = text;
    for (const r of this.g.rules) {
      if (!r.input || r.action !== 'mask') continue;
      r.re.lastIndex = 0;
      let count = 0;
      out = out.replace(r.re, () => {
        count++;
        return r.replacement;
      });
      if (count) this.countRule(this.decisions.input, r.name, 'mask', count);
    }
    const re = this.g.inputPii;
    if (!re) return out;
    const action = this.g.policy.pii.action;
    re.lastIndex = 0;
    return out.replace(re, (match: string, ...args: unknown[]) => {
      const type = matchedType(args[args.length - 1] as Record<string, string | undefined>);
      if (!type || !validMatch(type, match)) return match;
      const pii = (this.decisions.input.pii ??= {});
      pii[type] = (pii[type] ?? 0) + 1;
      if (action === 'mask') return `[${PII_LABEL[type]}]`;
      if (action === 'tokenize') return this.tokenFor(type, match);
      return match; // log, block
    });
  }

  private tokenFor(type: PiiType, value: string): string {
    const known = this.byValue.get(value);
    if (known) return known;
    const label = PII_LABEL[type];
    const n = (this.seq[label] = (this.seq[label] ?? 0) + 1);
    const token = `[${label}_${n}]`;
    this.tokens.set(token, value);
    this.byValue.set(value, token);
    return token;
  }

  private countRule(side: SideDecisions, rule: string, action: string, count: number) {
    const list = (side.custom ??= []);
    const hit = list.find((h) => h.rule === rule);
    if (hit) hit.count += count;
    else list.push({ rule, action, count });
  }

  // ───── output ─────

  /** Output checks then token restoring on a whole answer; throws `guardrail_output_blocked` (422) when the policy says so. */
  checkResponse(result: ChatResponse): void {
    for (const choice of result.choices) {
      const c = choice.message.content;
      if (typeof c === 'string') choice.message.content = this.restore(this.checkOutput(c));
    }
  }

  /** Restores tokens in a text the model wrote (an Anthropic answer translated already, for instance). */
  restore(text: string): string {
    if (this.tokens.size === 0 || text.indexOf('[') === -1) return text;
    PLACEHOLDER.lastIndex = 0;
    return text.replace(PLACEHOLDER, (m) => this.tokens.get(m) ?? m);
  }

  private checkOutput(text: string): string {
    const p = this.g.policy;
    this.outputChars += text.length;
    if (p.maxResponseChars !== null && this.outputChars > p.maxResponseChars) {
      const out = (this.decisions.output ??= {});
      out.blocked = 'size';
      throw new GatewayError('guardrail_output_blocked', `The answer exceeded ${p.maxResponseChars} characters, the most this key's guardrail policy allows.`);
    }
    let out = text;
    for (const r of this.g.rules) {
      if (!r.output) continue;
      r.re.lastIndex = 0;
      let count = 0;
      if (r.action === 'mask') {
        out = out.replace(r.re, () => {
          count++;
          return r.replacement;
        });
      } else count = [...out.matchAll(r.re)].length;
      if (!count) continue;
      const side = (this.decisions.output ??= {});
      this.countRule(side, r.name, r.action, count);
      if (r.action === 'block') {
        side.blocked = `custom:${r.name}`;
        throw new GatewayError('guardrail_output_blocked', `The answer was withheld by the guardrail rule "${r.name}".`);
      }
      if (r.action === 'flag') this.decisions.flagged = true;
    }
    const re = this.g.outputPii;
    if (!re) return out;
    const action = p.output.action;
    re.lastIndex = 0;
    let found: PiiType | null = null;
    out = out.replace(re, (match: string, ...args: unknown[]) => {
      const type = matchedType(args[args.length - 1] as Record<string, string | undefined>);
      if (!type || !validMatch(type, match)) return match;
      const side = (this.decisions.output ??= {});
      const pii = (side.pii ??= {});
      pii[type] = (pii[type] ?? 0) + 1;
      side.piiAction = action;
      found ??= type;
      return action === 'mask' ? `[${PII_LABEL[type]}]` : match;
    });
    if (found && action === 'block') {
      this.decisions.output!.blocked = 'pii';
      throw new GatewayError('guardrail_output_blocked', `The answer contained personal data or secrets (${found}) and was withheld by this key's guardrail policy.`);
    }
    return out;
  }

  /**
   * One streamed chunk, in place. Text is held back so nothing is judged or
   * restored half-seen: with output checks on, the last OUTPUT_WINDOW characters
   * (and any match reaching into them); otherwise only an unfinished `[…`
   * placeholder. The rest goes out with the choice's final chunk. Throws like
   * checkResponse (the stream then ends with an explicit error event).
   */
  filterChunk(chunk: ChatChunk): void {
    for (const choice of chunk.choices) {
      const d = choice.delta;
      const incoming = typeof d.content === 'string' ? d.content : '';
      const held = this.carry.get(choice.index) ?? '';
      if (!incoming && !held) continue;
      const buf = held + incoming;
      let emit: string;
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        emit = buf;
        this.carry.delete(choice.index);
      } else {
        const cut = this.safeCut(buf);
        emit = buf.slice(0, cut);
        this.carry.set(choice.index, buf.slice(cut));
      }
      const text = emit ? this.restore(this.checkOutput(emit)) : '';
      if (text || typeof d.content === 'string') d.content = text;
    }
  }

  /** How much of a streamed buffer can be judged and sent now. */
  private safeCut(buf: string): number {
    let cut = buf.length;
    if (this.watchesOutput) {
      cut = Math.max(0, buf.length - OUTPUT_WINDOW);
      // a value that starts before the cut and reaches past it goes out whole, later
      for (const re of this.outputPatterns) {
        re.lastIndex = 0;
        for (const m of buf.matchAll(re)) {
          if (m.index >= cut) break;
          if (m.index + m[0].length > cut) {
            cut = m.index;
            break;
          }
        }
      }
    }
    if (this.tokens.size > 0) {
      const open = cut > 0 ? buf.lastIndexOf('[', cut - 1) : -1;
      if (open !== -1 && cut - open <= MAX_PLACEHOLDER) {
        const close = buf.indexOf(']', open);
        if (close === -1 || close >= cut) cut = open;
      }
    }
    return cut;
  }

  private get watchesOutput(): boolean {
    return this.outputPatterns.length > 0;
  }

  private get outputPatterns(): RegExp[] {
    return (this.patterns ??= [...(this.g.outputPii ? [this.g.outputPii] : []), ...this.g.rules.filter((r) => r.output).map((r) => r.re)]);
  }
  private patterns: RegExp[] | undefined;
}

/** A session for a request, or null when its key's guardrails are off. */
export function startGuardrails(tenant: TenantLike, key: KeyLike | undefined): GuardrailSession | null {
  const g = guardrailsFor(tenant, key);
  return g ? new GuardrailSession(g) : null;
}
