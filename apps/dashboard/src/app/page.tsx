import { redirect } from 'next/navigation';
import { GatewayErrorPage } from '@/components/gateway-error-page';
import { homePathFor } from '@/lib/navigation';
import { getSession } from '@/lib/session';

/** `/` sends each user to their home: the admin console or their first tenant's portal. */
export default async function RootPage() {
  const session = await getSession();
  if (session.status === 'signed_in') redirect(homePathFor(session.user));
  return <GatewayErrorPage title={session.title} detail={session.detail} requestId={session.requestId} />;
}
