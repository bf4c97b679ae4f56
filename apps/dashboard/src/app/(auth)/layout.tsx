import type { ReactNode } from 'react';
import { BrandMark } from '@/components/brand';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-zinc-50 to-zinc-100 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <BrandMark className="size-11" />
          <p className="mt-3 text-lg font-semibold tracking-tight text-zinc-900">Conduit</p>
          <p className="text-sm text-zinc-500">AI gateway console</p>
        </div>
        {children}
      </div>
    </div>
  );
}
