import type { SectionNews } from '../../shared/whatsNew.js';
import { useT } from '../i18n';

/**
 * An outline entry's news since the reader's last visit: new amendments, status changes and comments,
 * each as a count with a mark (read out as one sentence), only those that are not zero.
 */
export function SectionNewsBadge({ sectionId, news }: { sectionId: string; news: SectionNews | undefined }) {
  const t = useT();
  if (!news || news.amendments + news.statusChanges + news.comments === 0) return null;
  const parts = [
    { kind: 'amendments', count: news.amendments, mark: '+' },
    { kind: 'statusChanges', count: news.statusChanges, mark: '↻' },
    { kind: 'comments', count: news.comments, mark: '✎' },
  ].filter((p) => p.count > 0);
  const sentence = t('news.outline', {
    amendments: news.amendments,
    statusChanges: news.statusChanges,
    comments: news.comments,
  });
  return (
    <span className="outline__news" data-testid={`news-${sectionId}`} title={sentence}>
      {parts.map((p) => (
        <span key={p.kind} className={`outline__news-part outline__news-part--${p.kind}`} aria-hidden="true">
          {p.mark}
          {p.count}
        </span>
      ))}
      <span className="visually-hidden">{sentence}</span>
    </span>
  );
}
