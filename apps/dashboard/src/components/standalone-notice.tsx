import type { ReactNode } from 'react';
import { Brand } from '@/components/brand';

/** A centred, shell-less page for when there is no user to build a console around. */
export function StandaloneNotice({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-6 px-6 py-16">
      <Brand />
      {children}
    </main>
  );
}
