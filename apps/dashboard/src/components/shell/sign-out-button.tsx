import { Icon } from '@/components/icon';
import { signOut } from '@/lib/auth.actions';

export function SignOutButton() {
  return (
    <form action={signOut}>
      <button
        type="submit"
        className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-700 shadow-xs hover:bg-zinc-50"
      >
        <Icon name="signOut" className="size-4 text-zinc-500" />
        Sign out
      </button>
    </form>
  );
}
