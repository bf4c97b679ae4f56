/**
 * AWS `application/vnd.amazon.eventstream` binary framing (prelude, headers,
 * payload, CRCs), via Smithy's maintained codec. Used by the Bedrock adapter
 * (decode) and the Bedrock simulator (encode).
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { Message, MessageHeaders } from '@smithy/types';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export type EventStreamMessage = Message;

export interface DecodedEvent {
  /** `:message-type`: `event`, `exception` or `error`. */
  messageType: string;
  /** `:event-type` or `:exception-type` / `:error-code`. */
  type: string;
  /** Payload decoded as UTF-8 (JSON for Bedrock). */
  payload: string;
}

export function decodeEvent(message: Message): DecodedEvent {
  const h = message.headers;
  const messageType = headerString(h, ':message-type') ?? 'event';
  const type =
    messageType === 'event'
      ? (headerString(h, ':event-type') ?? '')
      : messageType === 'exception'
        ? (headerString(h, ':exception-type') ?? '')
        : (headerString(h, ':error-code') ?? '');
  const payload =
    messageType === 'error' ? (headerString(h, ':error-message') ?? toUtf8(message.body)) : toUtf8(message.body);
  return { messageType, type, payload };
}

function headerString(h: MessageHeaders, name: string): string | undefined {
  const v = h[name];
  return v !== undefined && v.type === 'string' ? v.value : undefined;
}

/**
 * Incremental decoder: bytes in (any boundaries), complete messages out.
 * Frames by the prelude's total length, then lets the codec verify both CRCs
 * and parse headers. Throws on a corrupt frame.
 */
export class EventStreamDecoder {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Message[] {
    let buf: Uint8Array;
    if (this.buffer.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.buffer.length + chunk.length);
      buf.set(this.buffer, 0);
      buf.set(chunk, this.buffer.length);
    }
    const out: Message[] = [];
    let offset = 0;
    while (buf.length - offset >= 4) {
      const total = new DataView(buf.buffer, buf.byteOffset + offset, 4).getUint32(0, false);
      if (total < 16) throw new Error(`invalid event stream frame length ${total}`);
      if (buf.length - offset < total) break;
      out.push(this.codec.decode(buf.subarray(offset, offset + total)));
      offset += total;
    }
    this.buffer = offset === buf.length ? new Uint8Array(0) : buf.slice(offset);
    return out;
  }

  /** Bytes left over when the stream ended (a frame cut half-way). */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}

const encoder = new EventStreamCodec(toUtf8, fromUtf8);

/** Encodes one Bedrock-style JSON event. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return encoder.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** Encodes a modeled exception event (e.g. `throttlingException`). */
export function encodeException(exceptionType: string, message: string): Uint8Array {
  return encoder.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}
