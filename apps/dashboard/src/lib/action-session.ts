import 'server-only';
import { getSession } from '@/lib/session';

/** The caller's access token inside a server action (the gateway checks the role on every call). */
export async function actionToken(): Promise<string> {
  const session = await getSession();
  if (session.status !== 'signed_in') throw new Error(`${session.title}: ${session.detail}`);
  return session.accessToken;
}
