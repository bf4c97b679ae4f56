import { NextResponse } from 'next/server';

/**
 * A redirect with a relative Location. `request.url` inside `next start`
 * carries the server's own idea of its host (e.g. `localhost`), which is not
 * necessarily the host the browser used; cookies are per host, so an absolute
 * redirect could land the browser on a host without its session.
 */
export function redirectTo(path: string, status: 303 | 307 = 307): NextResponse {
  return new NextResponse(null, { status, headers: { location: path } });
}
