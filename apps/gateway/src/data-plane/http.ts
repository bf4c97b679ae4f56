import { type ChatRequest, LightAbortController } from '@conduit/providers';
import type { DataPlaneReply, DataPlaneRequest } from './front-door.js';
import type { RouteInput } from './router.js';

/** Writes to a response stream, waiting when the socket is full (backpressure) or the client is gone. */
export function write(reply: DataPlaneReply, data: string): Promise<void> | undefined {
  if (data === '' || reply.raw.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      reply.raw.off('drain', done);
      reply.raw.off('close', done);
      resolve();
    };
    reply.raw.once('drain', done);
    reply.raw.once('close', done);
  });
}

/**
 * Aborts the upstream call when the client goes away before the answer is complete.
 * A LightAbortController: Node's AbortController costs microseconds per request.
 */
export function clientSignal(reply: DataPlaneReply): LightAbortController {
  const ac = new LightAbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort(new Error('client closed the connection'));
  });
  return ac;
}

/** Tags for route rules: the given ones plus `x-conduit-tags: k=v,k2=v2`. */
export function requestTags(req: DataPlaneRequest, tags: Record<string, string> = {}): Record<string, string> {
  const header = req.headers['x-conduit-tags'];
  if (typeof header === 'string') {
    for (const part of header.split(',')) {
      const i = part.indexOf('=');
      if (i > 0) tags[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
  }
  return tags;
}

/** What route rules may look at for a chat request; the prompt text is built only if a rule asks. */
export function chatRouteInput(req: DataPlaneRequest, chat: ChatRequest, tags: Record<string, string>): RouteInput {
  let text: string | undefined;
  const prompt = () => {
    if (text !== undefined) return text;
    text = '';
    for (const m of chat.messages) {
      if (typeof m.content === 'string') text += m.content + '\n';
      else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === 'text') text += p.text + '\n';
    }
    return text;
  };
  return { headers: req.headers, tags: requestTags(req, tags), prompt };
}
