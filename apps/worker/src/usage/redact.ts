/**
 * Redaction of logged request and response bodies. Bodies are stored only when
 * the tenant's `logBodies` setting is on, and then only after this pass removes
 * what is obviously a secret or personal data: API keys and tokens, bearer
 * credentials, e-mail addresses and payment card numbers. Values under keys that
 * name a secret (authorization, api_key, password, …) are replaced whole.
 *
 * Pure and total: any JSON-ish value in, a JSON-safe value out (cycles, NUL
 * characters and lone surrogates, which PostgreSQL cannot store, are removed).
 */

export const REDACTED = '[REDACTED]';

const SECRET_KEY = /^(authorization|proxy-authorization|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|secret|client[-_]?secret|password|passwd|private[-_]?key|cookie|set-cookie)$/i;

interface Pattern {
  re: RegExp;
  replace: string | ((match: string) => string);
}

const PATTERNS: Pattern[] = [
  // "Bearer <token>" / "Basic <credentials>" in any text
  { re: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: (m) => `${m.split(/\s+/)[0]} ${REDACTED}` },
  // JSON Web Tokens
  { re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: REDACTED },
  // provider and platform keys: OpenAI/Anthropic (sk-…, sk-ant-…, sk-proj-…), Conduit (cdt_…), Google (AIza…),
  // AWS access key ids, GitHub, Slack, Stripe-style (sk_live_…, rk_test_…)
  { re: /\b(?:sk|pk|rk)-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  { re: /\bcdt_[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  { re: /\bAIza[0-9A-Za-z_-]{30,}/g, replace: REDACTED },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  { re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replace: REDACTED },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { re: /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: REDACTED },
  // e-mail addresses
  { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, replace: '[REDACTED_EMAIL]' },
  // payment card numbers: 13–19 digits, optionally grouped by spaces or dashes, that pass the Luhn check
  {
    re: /\b\d(?:[ -]?\d){12,18}\b/g,
    replace: (m) => (luhnValid(m.replace(/[ -]/g, '')) ? '[REDACTED_CARD]' : m),
  },
];

export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Removes what PostgreSQL text and jsonb cannot hold: NUL characters and unpaired UTF-16 surrogates. */
export function storableText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function redactText(s: string): string {
  let out = storableText(s);
  for (const p of PATTERNS) out = out.replace(p.re, p.replace as (m: string) => string);
  return out;
}

/** A redacted, JSON-safe copy of `value`. */
export function redact(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v);
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'object') return null; // undefined, functions, symbols
    if (seen.has(v) || depth > 64) return REDACTED;
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        const key = storableText(k);
        out[key] = SECRET_KEY.test(k) && x !== null && x !== '' ? REDACTED : walk(x, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return walk(value, 0);
}
