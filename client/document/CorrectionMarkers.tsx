import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { Correction } from '../../shared/corrections.js';
import { formatTime } from '../components/identity';
import { useI18n } from '../i18n';
import type { CorrectionsBySection } from './corrections';

const NO_CORRECTIONS: readonly Correction[] = [];

/** Where a paragraph sits in its section, for a marker in the margin beside its number. */
interface Spot {
  paragraph: number;
  top: number;
  left: number;
}

/**
 * A quiet "corrected by the Office" marker in the margin of each paragraph of this section that the
 * Office corrected directly: a small button under the paragraph number, with the words before and after
 * on hover and on keyboard focus. Drawn over the text (absolutely placed), so it moves no line.
 */
export function CorrectionMarkers({
  sectionId,
  corrections,
}: {
  sectionId: string;
  corrections: CorrectionsBySection;
}) {
  const list = corrections.get(sectionId) ?? NO_CORRECTIONS;
  const layer = useRef<HTMLDivElement>(null);
  const [spots, setSpots] = useState<Spot[]>([]);
  const paragraphs = [...new Set(list.map((c) => c.paragraph).filter((n): n is number => n !== null))];
  const key = paragraphs.join(',');

  useLayoutEffect(() => {
    const section = layer.current?.closest<HTMLElement>('.doc-section');
    if (!section || key === '') {
      setSpots([]);
      return;
    }
    const numbers = key.split(',').map(Number);
    const measure = () => {
      const frame = section.getBoundingClientRect();
      const next: Spot[] = [];
      for (const n of numbers) {
        // The visible copy: the live editor's once drawn, else the static text.
        const candidates = [...section.querySelectorAll<HTMLElement>(`[id="p${n}"]`)];
        const element = candidates.find((e) => !e.closest('.doc-section__editor--hidden')) ?? candidates[0];
        if (!element) continue;
        const box = element.getBoundingClientRect();
        next.push({ paragraph: n, top: box.top - frame.top + 28, left: box.left - frame.left - 34 });
      }
      setSpots((prev) =>
        prev.length === next.length && prev.every((p, i) => p.top === next[i]?.top && p.left === next[i]?.left)
          ? prev
          : next,
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(section);
    return () => observer.disconnect();
  }, [key]);

  return (
    <div ref={layer} className="corrections-layer">
      {spots.map((spot) => (
        <CorrectionMarker
          key={spot.paragraph}
          spot={spot}
          corrections={list.filter((c) => c.paragraph === spot.paragraph)}
        />
      ))}
    </div>
  );
}

function CorrectionMarker({ spot, corrections }: { spot: Spot; corrections: Correction[] }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const recent = [...corrections].reverse();

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div
      className="correction"
      style={{ top: spot.top, left: Math.max(0, spot.left) }}
      data-testid={`correction-p${spot.paragraph}`}
    >
      <button
        type="button"
        className="correction__marker"
        aria-label={t('correction.label', { n: spot.paragraph })}
        aria-expanded={open}
        aria-describedby={open ? id : undefined}
        onMouseEnter={() => setOpen(true)}
        onMouseLeave={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">✎</span>
      </button>
      {open && (
        <div id={id} role="tooltip" className="correction__tip">
          <p className="correction__title">{t('correction.title')}</p>
          {recent.map((c) => (
            <div key={c.id} className="correction__entry">
              <p className="correction__line">
                <span className="correction__label">{t('correction.before')}</span>
                <del>{c.before}</del>
              </p>
              <p className="correction__line">
                <span className="correction__label">{t('correction.after')}</span>
                <ins>{c.after}</ins>
              </p>
              <p className="correction__meta">
                {t('correction.by', { name: c.byName, time: formatTime(c.at, language) })}
              </p>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
