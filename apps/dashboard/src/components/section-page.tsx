import { NotAvailableYet } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import type { Section } from '@/lib/sections';

/** A section that exists in the navigation but is not built yet. */
export function SectionPlaceholder({ section }: { section: Section }) {
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <NotAvailableYet icon={section.icon} title={section.label} planned={section.planned} />
    </>
  );
}
