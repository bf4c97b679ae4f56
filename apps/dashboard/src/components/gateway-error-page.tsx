import { headers } from 'next/headers';
import { GatewayErrorPanel } from '@/components/gateway-error-panel';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { StandaloneNotice } from '@/components/standalone-notice';
import { PATH_HEADER } from '@/lib/auth-cookies';

/** A whole page for when the gateway could not confirm the session: why, retry, or sign out. */
export async function GatewayErrorPage({ title, detail, requestId }: { title: string; detail: string; requestId?: string }) {
  const path = (await headers()).get(PATH_HEADER) ?? '/';
  return (
    <StandaloneNotice>
      <GatewayErrorPanel title={title} detail={detail} requestId={requestId} />
      <div className="flex items-center gap-3">
        <a
          href={path}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Try again
        </a>
        <SignOutButton />
      </div>
    </StandaloneNotice>
  );
}
