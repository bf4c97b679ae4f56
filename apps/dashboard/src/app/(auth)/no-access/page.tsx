import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { GatewayErrorPanel } from '@/components/gateway-error-panel';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { homePathFor } from '@/lib/navigation';
import { getSession } from '@/lib/session';

export const metadata: Metadata = { title: 'No tenant yet' };

/** Where a signed-in user lands who is neither a platform admin nor a member of any tenant. */
export default async function NoAccessPage() {
  const session = await getSession();
  if (session.status !== 'signed_in') {
    return <GatewayErrorPanel title={session.title} detail={session.detail} requestId={session.requestId} />;
  }
  const home = homePathFor(session.user);
  if (home !== '/no-access') redirect(home);

  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">You&apos;re not in a tenant yet</h1>
      <p className="mt-2 text-sm text-zinc-600">
        You are signed in as <span className="font-medium text-zinc-900">{session.user.email}</span>, but this account
        is not a member of any tenant. Ask a tenant admin to add you; then sign in again.
      </p>
      <div className="mt-6">
        <SignOutButton />
      </div>
    </div>
  );
}
