import type { Metadata } from 'next';
import { SectionPlaceholder } from '@/components/section-page';
import { adminSections } from '@/lib/sections';

const section = adminSections.models;

export const metadata: Metadata = { title: section.label };

export default function Page() {
  return <SectionPlaceholder section={section} />;
}
