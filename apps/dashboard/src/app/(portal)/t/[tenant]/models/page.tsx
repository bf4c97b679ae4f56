import type { Metadata } from 'next';
import { SectionPlaceholder } from '@/components/section-page';
import { portalSections } from '@/lib/sections';

const section = portalSections.models;

export const metadata: Metadata = { title: section.label };

export default function Page() {
  return <SectionPlaceholder section={section} />;
}
