import { useT } from '../i18n';
import { useAbilities } from '../session/SessionProvider';
import type { Presenter } from './usePresenter';

/** The Office's "Present" toggle, and for everyone else "Claire Martin is presenting — Follow". */
export function PresenterBar({ presenter }: { presenter: Presenter }) {
  const t = useT();
  const who = presenter.state?.presenter ?? null;
  const office = useAbilities().present;
  return (
    <div className="presenter" data-testid="presenter">
      {office && (
        <button
          type="button"
          className="button button--small presenter__toggle"
          aria-pressed={presenter.presenting}
          data-testid="present-toggle"
          onClick={presenter.presenting ? presenter.stop : presenter.start}
        >
          {t('present.toggle')}
        </button>
      )}
      {presenter.presenting ? (
        <span className="presenter__status" role="status">
          {t('present.you')}
        </span>
      ) : who ? (
        <>
          <span className="presenter__status" role="status" data-testid="presenter-status">
            <span className="presenter__live" aria-hidden="true" />
            {t('present.isPresenting', { name: who.name })}
          </span>
          {presenter.following ? (
            <button type="button" className="button button--small button--primary" onClick={presenter.unfollow} data-testid="unfollow">
              {t('present.unfollow')}
              <span className="visually-hidden"> ({t('present.escape')})</span>
            </button>
          ) : (
            <button type="button" className="button button--small" onClick={presenter.follow} data-testid="follow">
              {t('present.follow')}
            </button>
          )}
        </>
      ) : null}
    </div>
  );
}
