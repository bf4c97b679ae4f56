/**
 * Detectors: PII and secrets (one combined regex, validated matches), and scored
 * prompt-injection rules. Pure functions, no I/O.
 */
import type { PiiType } from '@conduit/contracts';

/** Placeholder labels, also used to restore tokenized values. */
export const PII_LABEL: Record<PiiType, string> = { email: 'EMAIL', phone: 'PHONE', card: 'CARD', iban: 'IBAN', ip: 'IP', secret: 'SECRET' };

/**
 * Each PII type as a regex source. Order matters: at one position the first
 * alternative wins, so the most specific shapes come first.
 */
const PII_SOURCES: [PiiType, string][] = [
  [
    'secret',
    [
      String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,
      String.raw`\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}`,
      String.raw`\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}`,
      String.raw`\bAKIA[0-9A-Z]{16}\b`,
      String.raw`\bgh[pousr]_[A-Za-z0-9]{30,}`,
      String.raw`\bgithub_pat_[A-Za-z0-9_]{22,}`,
      String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
      String.raw`\bAIza[0-9A-Za-z_-]{35}`,
      String.raw`\bcdt_[A-Za-z0-9_]{20,}`,
      String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
      String.raw`\b[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*`,
    ].join('|'),
  ],
  ['email', String.raw`\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b`],
  ['iban', String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`],
  ['card', String.raw`\b\d(?:[ -]?\d){12,18}\b`],
  [
    'ip',
    String.raw`\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b(?!\.\d)|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){2,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![:\w])`,
  ],
  ['phone', String.raw`(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}\b|(?<![\w+])\+\d{8,15}\b`],
];

/** One regex for the given types, a named group per type (`g` flag: one pass over the text). */
export function piiRegex(types: readonly PiiType[]): RegExp | null {
  const parts = PII_SOURCES.filter(([t]) => types.includes(t)).map(([t, src]) => `(?<${t}>${src})`);
  return parts.length ? new RegExp(parts.join('|'), 'g') : null;
}

/** Luhn checksum over the digits of a card number (13–19 digits). */
export function luhn(text: string): boolean {
  let sum = 0;
  let n = 0;
  let double = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    n++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return n >= 13 && n <= 19 && sum % 10 === 0;
}

/** ISO 13616 check: country letters and check digits moved to the end, letters as numbers, mod 97 = 1. */
export function ibanValid(text: string): boolean {
  const s = text.replace(/ /g, '');
  if (s.length < 15 || s.length > 34) return false;
  const r = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Whether a regex match of a type is really one (checksums, digit counts). */
export function validMatch(type: PiiType, text: string): boolean {
  switch (type) {
    case 'card':
      return luhn(text);
    case 'iban':
      return ibanValid(text);
    case 'phone': {
      const n = digitCount(text);
      // dates (2024-01-31) and plain short numbers are not phone numbers
      return n >= 9 && n <= 15 && !/^\d{4}-\d{2}-\d{2}$/.test(text);
    }
    default:
      return true;
  }
}

/** The type whose named group matched. */
export function matchedType(groups: Record<string, string | undefined>): PiiType | null {
  for (const [t] of PII_SOURCES) if (groups[t] !== undefined) return t;
  return null;
}

// ───────────────────────────── prompt injection ─────────────────────────────

export interface InjectionRule {
  id: string;
  /** how strongly a match alone suggests an attack (0–1) */
  weight: number;
  re: RegExp;
}

/**
 * Scored rules; the score of a text is 1 − Π(1 − weight) over the rules that
 * match, so one strong signal or several weak ones cross the threshold (0.7 by default).
 */
export const INJECTION_RULES: InjectionRule[] = [
  {
    id: 'ignore_instructions',
    weight: 0.8,
    re: /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system)\b[^.\n]{0,20}?\b(?:instructions?|prompts?|rules|directions|guidelines|directives)\b/i,
  },
  {
    id: 'reveal_system_prompt',
    weight: 0.7,
    re: /\b(?:reveal|show|print|repeat|output|display|leak|tell me|what(?:'s| is| are))\b[^.\n]{0,30}?\b(?:system prompt|initial (?:prompt|instructions)|hidden (?:prompt|instructions)|your (?:instructions|system message|prompt))\b/i,
  },
  { id: 'jailbreak_persona', weight: 0.75, re: /\b(?:DAN|do anything now|developer mode|jailbreak(?:ed|ing)?|STAN|AIM mode)\b/ },
  {
    id: 'role_override',
    weight: 0.45,
    re: /\b(?:you are now|from now on,? you (?:are|will)|act as (?:an? )?(?:unfiltered|unrestricted|uncensored|evil)|pretend (?:to be|you are) (?:an? )?(?:unfiltered|unrestricted|uncensored|evil|different))\b/i,
  },
  {
    id: 'no_restrictions',
    weight: 0.45,
    re: /\b(?:without|no|free (?:of|from)|ignore (?:all|any|your))\b(?:\s+\w+){0,2}\s+(?:restrictions|filters|censorship|safety (?:guidelines|rules)|content polic(?:y|ies)|ethical guidelines)\b/i,
  },
  { id: 'delimiter_injection', weight: 0.5, re: /<\|im_start\|>|<\|im_end\|>|<\|system\|>|\[\/?INST\]|<<\/?SYS>>|^\s*#{2,}\s*(?:system|instruction)s?\s*:?\s*$/im },
  { id: 'new_instructions', weight: 0.4, re: /\b(?:new|updated|real|actual) (?:instructions|system prompt|rules)\s*:/i },
];

export interface InjectionVerdict {
  score: number;
  rules: string[];
}

export function scoreInjection(text: string): InjectionVerdict {
  let keep = 1;
  const rules: string[] = [];
  for (const r of INJECTION_RULES) {
    if (r.re.test(text)) {
      keep *= 1 - r.weight;
      rules.push(r.id);
    }
  }
  return { score: Math.round((1 - keep) * 1000) / 1000, rules };
}
