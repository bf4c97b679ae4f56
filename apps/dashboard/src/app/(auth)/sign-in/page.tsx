import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { fetchMe, type SessionUser } from '@/lib/admin-api/auth';
import { ACCESS_COOKIE } from '@/lib/auth-cookies';
import { homePathFor, safeNextPath } from '@/lib/navigation';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES = {
  expired: { tone: 'info', text: 'Your session has ended. Sign in again to continue.' },
  signed_out: { tone: 'info', text: 'You have signed out.' },
  gateway_error: {
    tone: 'warning',
    text: 'The gateway could not confirm your session just now. It may be unavailable; you can try signing in again.',
  },
} as const;

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const next = safeNextPath(typeof query.next === 'string' ? query.next : undefined);
  const reason = typeof query.reason === 'string' && query.reason in NOTICES ? (query.reason as keyof typeof NOTICES) : undefined;

  // Already signed in with a token the gateway accepts: skip the form.
  const accessToken = (await cookies()).get(ACCESS_COOKIE)?.value;
  if (accessToken && reason !== 'signed_out') {
    const user = await fetchMe(accessToken).catch((): SessionUser | null => null);
    if (user) redirect(next ?? homePathFor(user));
  }

  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600">Use the account your Conduit administrator gave you.</p>
      {reason ? (
        <p
          role="status"
          className={
            'mt-5 rounded-md px-3 py-2 text-sm ' +
            (NOTICES[reason].tone === 'warning'
              ? 'bg-amber-50 text-amber-800 ring-1 ring-amber-200'
              : 'bg-zinc-50 text-zinc-700 ring-1 ring-zinc-200')
          }
        >
          {NOTICES[reason].text}
        </p>
      ) : null}
      <SignInForm next={next} />
    </div>
  );
}
