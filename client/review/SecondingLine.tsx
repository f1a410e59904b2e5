import { type Amendment, needsSeconder } from '../../shared/amendments.js';
import { ownerLabelOf } from '../components/identity';
import { useT } from '../i18n';

/**
 * Where one State's amendment stands with its seconder: awaiting one (while pending), seconded by a
 * delegate of another member, or recorded by the Office as seconded in the room. Nothing for groups'.
 */
export function SecondingLine({ amendment: a }: { amendment: Pick<Amendment, 'ownerKey' | 'status' | 'seconder'> }) {
  const t = useT();
  if (!needsSeconder(a)) return null;
  if (a.seconder) {
    return (
      <p className="seconding seconding--done" data-testid="amendment-seconder">
        {a.seconder.inRoom
          ? t('seconding.inRoom', { name: a.seconder.byName })
          : t('seconding.by', { name: a.seconder.byName, owner: ownerLabelOf(a.seconder.ownerKey, t) })}
      </p>
    );
  }
  if (a.status !== 'proposed') return null;
  return (
    <p className="seconding seconding--awaiting" data-testid="amendment-awaiting-seconder">
      {t('seconding.awaiting')}
    </p>
  );
}
