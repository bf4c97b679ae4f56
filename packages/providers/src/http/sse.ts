/**
 * Incremental Server-Sent Events parser (WHATWG "event stream" rules) that
 * works on arbitrary byte boundaries: chunks may split lines, UTF-8 sequences
 * or CRLF pairs. No regular expressions; one pass over each line.
 */

export interface SseEvent {
  /** `event:` field; `'message'` when absent. */
  event: string;
  data: string;
  id: string | undefined;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private data = '';
  private hasData = false;
  private eventName = '';
  private lastId: string | undefined = undefined;
  /** True when the previous chunk ended on '\r' (a CRLF may be split). */
  private pendingCR = false;

  /** Feeds bytes (or text) and returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    const buf = this.buffer.length > 0 ? this.buffer + text : text;
    const out: SseEvent[] = [];
    let start = 0;
    const len = buf.length;
    for (let i = 0; i < len; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(buf, start, i, out);
      if (c === 13) {
        if (i + 1 < len) {
          if (buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    this.buffer = start < len ? buf.slice(start) : '';
    return out;
  }

  /** Flushes a trailing event not followed by a blank line (stream ended). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const tail = this.decoder.decode();
    const rest = this.buffer + tail;
    this.buffer = '';
    if (rest.length > 0) this.line(rest, 0, rest.length, out);
    this.dispatch(out);
    return out;
  }

  private line(buf: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) {
      this.dispatch(out);
      return;
    }
    if (buf.charCodeAt(start) === 58 /* ':' comment */) return;
    let colon = -1;
    for (let j = start; j < end; j++) {
      if (buf.charCodeAt(j) === 58) {
        colon = j;
        break;
      }
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      field = buf.slice(start, end);
      value = '';
    } else {
      field = buf.slice(start, colon);
      let v = colon + 1;
      if (v < end && buf.charCodeAt(v) === 32) v++;
      value = buf.slice(v, end);
    }
    switch (field) {
      case 'data':
        if (this.hasData) this.data += '\n' + value;
        else {
          this.data = value;
          this.hasData = true;
        }
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (value.indexOf('\0') === -1) this.lastId = value;
        break;
      default:
        // `retry:` and unknown fields are ignored.
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (!this.hasData) {
      this.eventName = '';
      return;
    }
    out.push({ event: this.eventName || 'message', data: this.data, id: this.lastId });
    this.data = '';
    this.hasData = false;
    this.eventName = '';
  }
}

/**
 * Newline-delimited JSON framing (Ollama). Returns complete lines; the caller
 * parses them so it can map a malformed line to a typed error.
 */
export class NdjsonParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';

  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const buf = this.buffer.length > 0 ? this.buffer + text : text;
    const out: string[] = [];
    let start = 0;
    let nl = buf.indexOf('\n', start);
    while (nl !== -1) {
      const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end > start) out.push(buf.slice(start, end));
      start = nl + 1;
      nl = buf.indexOf('\n', start);
    }
    this.buffer = start < buf.length ? buf.slice(start) : '';
    return out;
  }

  end(): string[] {
    const rest = (this.buffer + this.decoder.decode()).trim();
    this.buffer = '';
    return rest.length > 0 ? [rest] : [];
  }
}
