import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[\w.:-]{1,128}$/;
/** random per process, so ids stay unique across replicas; a counter after it keeps each one cheap */
const PROCESS_PART = randomBytes(9).toString('base64url');
let counter = 0;

/** Uses the caller's `x-request-id` when it is sane, otherwise makes one. */
export function genRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  counter = (counter + 1) % 0x7fffffff;
  return `req_${PROCESS_PART}${counter.toString(36).padStart(6, '0')}`;
}
