/**
 * Simulator scenarios: what one upstream request should experience. Set from a
 * test through the handle (`script()` / `setDefault()`), per request with the
 * `x-sim-scenario` header, or with a magic phrase in the prompt
 * (`[[sim:error=rate_limit,retry_after=2]]`) so end-to-end tests can trigger
 * failures through the gateway.
 */

export const SIM_ERROR_KINDS = [
  'rate_limit',
  'server_error',
  'overloaded',
  'auth',
  'bad_request',
  'not_found',
  'content_filter',
  'timeout',
] as const;
export type SimErrorKind = (typeof SIM_ERROR_KINDS)[number];

export interface SimScenario {
  /** Answer with this provider-specific error (status and body in the provider's format). */
  error?: SimErrorKind;
  /** Overrides the HTTP status of `error`. */
  status?: number;
  /** Retry-After in seconds (errors). */
  retryAfter?: number;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Stream pacing: frames per second (each text frame is one token). 0 / absent = as fast as possible. */
  tokensPerSecond?: number;
  /** Stream: delay between the response headers and the first frame (a model thinking before its first token). */
  firstFrameDelayMs?: number;
  /** Never answer (the client's timeout fires). */
  hang?: boolean;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Stream: destroy the connection after this many frames (a stream cut half-way). */
  cutAfter?: number;
  /** Stream: frame number N (0-based) is replaced by a malformed one. */
  malformedAt?: number;
  /** Stream: frame number N is replaced by the provider's in-stream error event (`error` kind, default overloaded). */
  streamErrorAt?: number;
  /** Answer text instead of the echo. */
  reply?: string;
  /** Omit usage from the response (exercises tokenizer fallback). */
  noUsage?: boolean;
  /** Report this many prompt tokens as cache reads. */
  cachedTokens?: number;
  /** Report this many completion tokens as reasoning. */
  reasoningTokens?: number;
}

const KEYS: Record<string, keyof SimScenario> = {
  error: 'error',
  status: 'status',
  retryafter: 'retryAfter',
  latency: 'latencyMs',
  latencyms: 'latencyMs',
  tokenspersecond: 'tokensPerSecond',
  tps: 'tokensPerSecond',
  firstframedelayms: 'firstFrameDelayMs',
  firstframedelay: 'firstFrameDelayMs',
  hang: 'hang',
  timeout: 'hang',
  reset: 'reset',
  cutafter: 'cutAfter',
  cut: 'cutAfter',
  malformedat: 'malformedAt',
  malformed: 'malformedAt',
  streamerrorat: 'streamErrorAt',
  reply: 'reply',
  nousage: 'noUsage',
  cachedtokens: 'cachedTokens',
  reasoningtokens: 'reasoningTokens',
};

const NUMERIC = new Set<keyof SimScenario>(['status', 'retryAfter', 'latencyMs', 'tokensPerSecond', 'firstFrameDelayMs', 'cutAfter', 'malformedAt', 'streamErrorAt', 'cachedTokens', 'reasoningTokens']);
const BOOLEAN = new Set<keyof SimScenario>(['hang', 'reset', 'noUsage']);

function normKey(k: string): string {
  let out = '';
  for (const ch of k.trim()) if (ch !== '_' && ch !== '-') out += ch.toLowerCase();
  return out;
}

/**
 * Parses `error=rate_limit,retry_after=2`, `hang`, `cut_after=3` or a JSON
 * object. Unknown keys are ignored; `reply` must be last in the short form if
 * it contains commas. Returns undefined when nothing was recognised.
 */
export function parseScenario(text: string): SimScenario | undefined {
  const t = text.trim();
  if (t.length === 0) return undefined;
  const s: Record<string, unknown> = {};
  if (t.startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch {
      return undefined;
    }
    if (typeof raw !== 'object' || raw === null) return undefined;
    for (const [k, v] of Object.entries(raw)) assign(s, k, v);
  } else {
    const parts = t.split(',');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      const eq = p.indexOf('=');
      const key = eq === -1 ? p : p.slice(0, eq);
      if (normKey(key) === 'reply' && eq !== -1) {
        assign(s, key, [p.slice(eq + 1), ...parts.slice(i + 1)].join(','));
        break;
      }
      if (eq === -1 && (SIM_ERROR_KINDS as readonly string[]).includes(key.trim())) assign(s, 'error', key.trim());
      else assign(s, key, eq === -1 ? true : p.slice(eq + 1).trim());
    }
  }
  return Object.keys(s).length > 0 ? (s as SimScenario) : undefined;
}

function assign(s: Record<string, unknown>, rawKey: string, value: unknown): void {
  const key = KEYS[normKey(rawKey)];
  if (key === undefined) return;
  if (NUMERIC.has(key)) {
    const n = Number(value);
    if (Number.isFinite(n)) s[key] = n;
  } else if (BOOLEAN.has(key)) {
    s[key] = value === true || value === 'true' || value === '1' || value === 1;
  } else if (key === 'error') {
    if (typeof value === 'string' && (SIM_ERROR_KINDS as readonly string[]).includes(value)) s[key] = value;
  } else {
    s[key] = String(value);
  }
}

const MAGIC_OPEN = '[[sim:';

/** Finds `[[sim:...]]` in a prompt. */
export function scenarioFromText(text: string): SimScenario | undefined {
  const start = text.indexOf(MAGIC_OPEN);
  if (start === -1) return undefined;
  const end = text.indexOf(']]', start);
  if (end === -1) return undefined;
  return parseScenario(text.slice(start + MAGIC_OPEN.length, end));
}

/** Removes the magic phrase so the echo stays clean. */
export function stripMagic(text: string): string {
  const start = text.indexOf(MAGIC_OPEN);
  if (start === -1) return text;
  const end = text.indexOf(']]', start);
  if (end === -1) return text;
  return (text.slice(0, start) + text.slice(end + 2)).trim();
}
